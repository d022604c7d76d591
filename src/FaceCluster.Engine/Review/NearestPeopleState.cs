using System.Text.Json;

namespace FaceCluster.Engine.Review;

/// <summary>
/// Every person's most alike person (<see cref="NearestPeople.Find(IReadOnlyList{Model.FaceGroup}, NearestPeopleState?, CancellationToken)"/>)
/// as the export keeps it in its review folder, so that the next export computes again only the people whose faces
/// changed and those a changed person may now be nearer to. A file that cannot be read, or of another rule, is not
/// used: that export computes every person again.
/// </summary>
public sealed record NearestPeopleState
{
    /// <summary>The file's name in the review folder.</summary>
    public const string FileName = "nearest-people.json";

    /// <summary>What marks the file as the export's.</summary>
    public const string CurrentFormat = "FaceCluster nearest people";

    /// <summary>The rule the hints were computed by; a file of another rule is not reused.</summary>
    public static readonly string CurrentRule = FormattableString.Invariant($"1; candidates {NearestPeople.Candidates}; faces compared {NearestPeople.FacesCompared}");

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary><see cref="CurrentFormat"/> in the export's file.</summary>
    public required string Format { get; init; }

    /// <summary>The rule the hints were computed by (<see cref="CurrentRule"/>).</summary>
    public required string Rule { get; init; }

    /// <summary>Every person that has faces, of every pack.</summary>
    public required IReadOnlyList<NearestPersonEntry> People { get; init; }

    /// <summary>Person id to the id of its most alike other person.</summary>
    public IReadOnlyDictionary<int, int> Nearest() => People.Where(p => p.Hint is not null).ToDictionary(p => p.Id, p => p.Hint!.Value);

    /// <summary>The file's bytes (one line of JSON).</summary>
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>The state in the file, if it is the export's (<see cref="Format"/>); null when it is missing, cannot be
    /// read, or names a person twice.</summary>
    public static NearestPeopleState? Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<NearestPeopleState>(stream, Options) is { Format: CurrentFormat, People: not null } state
                && state.People.All(p => p is { Pack: not null, Faces: not null, Candidates: not null })
                && state.People.DistinctBy(p => (p.Pack, p.Id)).Count() == state.People.Count ? state : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
