using System.Text.Json;
using System.Text.Json.Serialization;
using FaceCluster.Engine.Export;

namespace FaceCluster.Engine.People;

/// <summary>
/// corrections.json, kept beside an export: what a person decided about the people in it (names, merges, faces that
/// are not a person) and the next unused person id. Written by Rename-FaceCluster, Merge-FaceCluster,
/// Remove-FaceClusterMember and by Invoke-FaceCluster -Previous (which records what it saw done to the folder);
/// read by Invoke-FaceCluster -Previous, which applies it as constraints. Small, indented, camelCase JSON.
/// </summary>
public sealed record PersonCorrections
{
    public const string FileName = "corrections.json";

    /// <summary>Schema version this build writes and the newest it reads.</summary>
    public const int CurrentSchemaVersion = 1;

    public string Tool { get; init; } = FaceManifest.ToolName;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The smallest person id never used in this export (ids of merged or vanished people are not reused).</summary>
    public int NextPersonId { get; init; }

    /// <summary>Names, one per person (the latest wins).</summary>
    public IReadOnlyList<PersonNameCorrection> Names { get; init; } = [];

    /// <summary>Merges, in the order they were made.</summary>
    public IReadOnlyList<PersonMergeCorrection> Merges { get; init; } = [];

    /// <summary>Faces taken out of a person.</summary>
    public IReadOnlyList<FaceRemovalCorrection> Removals { get; init; } = [];

    public static PersonCorrections Empty { get; } = new();

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>This set with person <paramref name="id"/> named <paramref name="name"/> (replacing an earlier name).</summary>
    public PersonCorrections WithName(int id, string name) =>
        this with { Names = Names.Where(n => n.Id != id).Append(new PersonNameCorrection(id, name)).OrderBy(n => n.Id).ToArray() };

    /// <summary>This set with person <paramref name="id"/> merged into <paramref name="into"/> (once).</summary>
    public PersonCorrections WithMerge(int id, int into) =>
        Merges.Contains(new PersonMergeCorrection(id, into)) ? this : this with { Merges = Merges.Append(new PersonMergeCorrection(id, into)).ToArray() };

    /// <summary>This set with <paramref name="removal"/> added (once).</summary>
    public PersonCorrections WithRemoval(FaceRemovalCorrection removal) =>
        Removals.Any(r => r.Id == removal.Id && r.FaceIndex == removal.FaceIndex && FaceKey.Comparer.Equals(r.Face, removal.Face))
            ? this
            : this with { Removals = Removals.Append(removal).ToArray() };

    /// <summary>Reads the corrections in <paramref name="exportFolder"/>; <see cref="Empty"/> when it has none.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, not ours, or of a newer schema.</exception>
    public static PersonCorrections Load(string exportFolder)
    {
        string path = Path.Combine(exportFolder, FileName);
        if (!File.Exists(path))
        {
            return Empty;
        }

        PersonCorrections? value;
        try
        {
            using FileStream stream = File.OpenRead(path);
            value = JsonSerializer.Deserialize<PersonCorrections>(stream, SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a {FaceManifest.ToolName} corrections file: {e.Message}", e);
        }

        if (value is null || !string.Equals(value.Tool, FaceManifest.ToolName, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not a {FaceManifest.ToolName} corrections file (its \"tool\" is not \"{FaceManifest.ToolName}\").");
        }

        if (value.SchemaVersion < 1 || value.SchemaVersion > CurrentSchemaVersion)
        {
            throw new InvalidDataException($"'{path}' has schema version {value.SchemaVersion}; this version reads 1 to {CurrentSchemaVersion}.");
        }

        return value with { Names = value.Names ?? [], Merges = value.Merges ?? [], Removals = value.Removals ?? [] };
    }

    /// <summary>Writes the corrections into <paramref name="exportFolder"/> atomically.</summary>
    public void Save(string exportFolder) =>
        AtomicFile.WriteAllBytes(Path.Combine(exportFolder, FileName), JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions), overwrite: true);

    public bool SameAs(PersonCorrections other) =>
        JsonSerializer.Serialize(this, SerializerOptions) == JsonSerializer.Serialize(other, SerializerOptions);
}
