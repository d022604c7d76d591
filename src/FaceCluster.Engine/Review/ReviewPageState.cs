using System.Text.Json;

namespace FaceCluster.Engine.Review;

/// <summary>
/// The pages of people, of their faces and of the doubtful faces an export wrote (all but the first page, the failed
/// photos and the scripts), each with the fingerprint of what it shows and the file's length and time
/// (<see cref="ReviewPageStamp"/>), kept in the review folder so that the next export builds again only the pages whose
/// faces or people changed: a page whose fingerprint is the same and whose file is still as written is the page a full build
/// would write. A file that cannot be read, or of another rule (another build of the engine), is not used: that export
/// builds every page again.
/// </summary>
public sealed record ReviewPageState
{
    /// <summary>The file's name in the review folder.</summary>
    public const string FileName = "pages.json";

    /// <summary>What marks the file as the export's.</summary>
    public const string CurrentFormat = "FaceCluster review pages";

    /// <summary>The rule the pages were built by: the engine's build (any change to the page's code builds every
    /// page again) and the page size.</summary>
    public static readonly string CurrentRule = FormattableString.Invariant(
        $"{typeof(ReviewSite).Assembly.ManifestModule.ModuleVersionId}; faces a page {ReviewSite.FacesPerPage}");

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary><see cref="CurrentFormat"/> in the export's file.</summary>
    public required string Format { get; init; }

    /// <summary>The rule the pages were built by (<see cref="CurrentRule"/>).</summary>
    public required string Rule { get; init; }

    /// <summary>The pages the export wrote or found as it would write them.</summary>
    public required IReadOnlyList<ReviewPageStamp> Pages { get; init; }

    /// <summary>The file's bytes (one line of JSON).</summary>
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>The state in the file, if it is the export's (<see cref="Format"/>); null when it is missing, cannot be
    /// read, or names a page twice.</summary>
    public static ReviewPageState? Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ReviewPageState>(stream, Options) is { Format: CurrentFormat, Rule: not null, Pages: not null } state
                && state.Pages.All(p => p is { Path: not null, Inputs: not null, File: not null })
                && state.Pages.DistinctBy(p => p.Path).Count() == state.Pages.Count ? state : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
