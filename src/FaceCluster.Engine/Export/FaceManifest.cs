using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>
/// The faces.json document of an export: every face with its source, box, landmarks, confidence, group and role, and
/// the file its photo was written to — so scripts (and Measure-FaceCluster) can audit the result. An export writes it
/// first with <see cref="Complete"/> false and again at the end with true. JSON is camelCase, on one line (not indented:
/// at a million faces indentation alone would add some 400 MB to every read and write of it); enums are camelCase
/// strings (<c>"core"</c>, <c>"copy"</c>).
/// </summary>
public sealed class FaceManifest
{
    public const string FileName = "faces.json";

    /// <summary>Tool name stored in every manifest; a faces.json without it is not ours.</summary>
    public const string ToolName = "FaceCluster";

    /// <summary>Schema version this build writes and the newest it reads. Version 2 added <see cref="Complete"/> and
    /// <see cref="Fingerprint"/>; the optional <see cref="Clustering"/> and <see cref="FailedPhotos"/> came later
    /// without a new version (a reader that does not know them skips them).</summary>
    public const int CurrentSchemaVersion = 2;

    private string? _fingerprint;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public string Tool { get; init; } = ToolName;

    public string ToolVersion { get; init; } = CurrentToolVersion;

    public required ExportMode Mode { get; init; }

    /// <summary>False while the export that wrote it is still placing files (or was interrupted); true once every file
    /// is in place. Schema 1 manifests, written only at the end, read as true.</summary>
    public bool Complete { get; init; } = true;

    /// <summary><see cref="ExportFingerprint.Of"/> this manifest, computed from its content and written with it, so
    /// that <see cref="FaceManifestHeader"/> can tell which clustering a folder holds without reading every face.</summary>
    public string Fingerprint => _fingerprint ??= ExportFingerprint.Of(this);

    /// <summary>The settings of the clustering exported, when every group carried the same; null (and absent from the
    /// JSON) otherwise, and in manifests written before they were recorded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClusteringSettings? Clustering { get; init; }

    /// <summary>The photos the encoder could not read (<c>Export-FaceCluster -EncodingError</c>), ordered by path
    /// (ordinal), then error id. Null (and absent from the JSON) where the export was not given them, so an empty list
    /// means none failed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FaceManifestFailedPhoto>? FailedPhotos { get; init; }

    /// <summary>Groups in folder order (largest cluster first, doubtful last as given).</summary>
    public required IReadOnlyList<FaceManifestCluster> Clusters { get; init; }

    /// <summary>Every face, ordered by source path (ordinal), then face index.</summary>
    public required IReadOnlyList<FaceManifestFace> Faces { get; init; }

    /// <summary>While an <c>Export-FaceCluster -Sync</c> is unfinished: the files earlier exports wrote, so that a rerun
    /// after a kill still knows them. Empty (and absent from the JSON) otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<FaceManifestOwnedFile>? Earlier { get; init; }

    /// <summary>True while a sync that still has files of earlier exports to move or remove is unfinished: only
    /// <c>-Sync</c> may finish it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Syncing => Earlier is { Count: > 0 };

    /// <summary>The engine's informational version without any source-revision suffix.</summary>
    public static string CurrentToolVersion { get; } = ReadToolVersion();

    internal static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>This manifest marked incomplete: what an export writes first; a sync adds the files of earlier exports
    /// (<paramref name="earlier"/>).</summary>
    public FaceManifest AsIncomplete(IReadOnlyList<FaceManifestOwnedFile>? earlier = null) =>
        Copy(Clusters, Faces, complete: false, earlier is { Count: > 0 } ? earlier : null);

    /// <summary>This manifest with each file's <see cref="FileStamp"/> read from <paramref name="root"/> (what the
    /// final manifest records), except for the destinations in <paramref name="unowned"/>. A file with the length and
    /// time of its stamp in <paramref name="written"/> (an earlier export's file, kept or moved) keeps that stamp's
    /// hash; every other file is read to hash it. A file in <paramref name="inPlace"/> (a sync found it as its stamp in
    /// <paramref name="written"/> says) takes that stamp as it is, without being looked at again.</summary>
    public FaceManifest WithStamps(string root, IReadOnlySet<string> unowned, IReadOnlyDictionary<string, FileStamp>? written = null,
        IReadOnlySet<string>? inPlace = null, CancellationToken cancellationToken = default)
    {
        var stamps = new Dictionary<string, FileStamp?>(StringComparer.Ordinal);
        FileStamp? StampOf(string destination)
        {
            if (unowned.Contains(destination))
                return null;
            if (inPlace?.Contains(destination) == true && written?.GetValueOrDefault(destination) is { Sha256: not null } kept)
                return kept;
            if (!stamps.TryGetValue(destination, out var stamp))
            {
                var full = Path.Combine(root, destination);
                stamp = FileStamp.TryRead(full);
                stamps[destination] = stamp = written?.GetValueOrDefault(destination) is { Sha256: not null } earlier && earlier.HasSizeAndTime(stamp)
                    ? earlier
                    : stamp is null ? null : FileStamp.TryReadWithHash(full, cancellationToken);
            }
            return stamp;
        }
        var faces = Mode == ExportMode.SymbolicLink ? Faces : Faces.Select(f => f with { Stamp = StampOf(f.Destination) }).ToArray();
        var clusters = Clusters.Select(c => c with { RepresentativeStamp = c.RepresentativeFile is { } file ? StampOf(file) : null }).ToArray();
        return Copy(clusters, faces, Complete, Earlier);
    }

    /// <summary>Every file this manifest says an export wrote: <see cref="Earlier"/>, each face's photo, each
    /// representative.</summary>
    public IEnumerable<FaceManifestOwnedFile> OwnedFiles() =>
        (Earlier ?? []).Concat(Faces.Select(f => new FaceManifestOwnedFile
        {
            Destination = f.Destination, Source = f.Path, ClusterId = f.ClusterId, Complete = Complete, Stamp = f.Stamp,
        })).Concat(Clusters.Where(c => c.RepresentativeFile is not null).Select(c => new FaceManifestOwnedFile
        {
            Destination = c.RepresentativeFile!, Source = c.RepresentativePath, FaceIndex = c.RepresentativeFaceIndex, Representative = true,
            ClusterId = c.Id, Complete = Complete, Stamp = c.RepresentativeStamp,
        }));

    private FaceManifest Copy(IReadOnlyList<FaceManifestCluster> clusters, IReadOnlyList<FaceManifestFace> faces, bool complete, IReadOnlyList<FaceManifestOwnedFile>? earlier)
    {
        var copy = new FaceManifest
        {
            SchemaVersion = SchemaVersion, Tool = Tool, ToolVersion = ToolVersion, Mode = Mode, Clusters = clusters, Faces = faces, Complete = complete, Earlier = earlier,
            Clustering = Clustering, FailedPhotos = FailedPhotos,
        };
        // Stamps and earlier files are not part of it: computed once here (a sync's unfinished and final manifests are
        // both copies, each hashing every face otherwise), shared by every copy.
        copy._fingerprint = Fingerprint;
        return copy;
    }

    /// <summary>The exact bytes <see cref="Write"/> puts on disk (UTF-8, no BOM).</summary>
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions);

    /// <summary>Writes <see cref="ToUtf8Bytes"/> to <paramref name="stream"/> a few kilobytes at a time, never holding the
    /// whole document (some 550 MB at a million faces).</summary>
    public void WriteTo(Stream stream) => JsonSerializer.Serialize(stream, this, SerializerOptions);

    /// <summary>Writes the manifest atomically (temporary, flush, move), replacing any previous file.</summary>
    public void Write(string path)
    {
        FaceManifestMemo.Forget(path);
        AtomicFile.Write(path, WriteTo, overwrite: true);
    }

    /// <summary>Reads a manifest; the same manifest while the file is unchanged (<see cref="FaceManifestMemo"/>): a
    /// manifest is never changed once made.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a FaceCluster manifest, or a newer schema.</exception>
    public static FaceManifest Read(string path) => FaceManifestMemo.Manifest(path);

    /// <summary>Reads a manifest from the file.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a FaceCluster manifest, or a newer schema.</exception>
    internal static FaceManifest ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <inheritdoc cref="Read(string)"/>
    public static FaceManifest Read(Stream stream) =>
        FaceManifestCheck.Checked(Deserialize<FaceManifest>(stream, manifest => (manifest.Tool, manifest.SchemaVersion)));

    /// <summary>Reads a manifest, or returns null where the file is missing, unreadable or not ours.</summary>
    public static FaceManifest? TryRead(string path) => OrNull(() => Read(path));

    /// <summary>Deserializes a manifest (or its <see cref="FaceManifestHeader"/>) and checks that it is ours, of a
    /// schema this build reads.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a FaceCluster manifest, or a newer schema.</exception>
    internal static T Deserialize<T>(Stream stream, Func<T, (string? Tool, int SchemaVersion)> identify) where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(stream, SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not a {ToolName} manifest: {e.Message}", e);
        }
        if (value is null || !string.Equals(identify(value).Tool, ToolName, StringComparison.Ordinal))
            throw new InvalidDataException($"Not a {ToolName} manifest (its \"tool\" is not \"{ToolName}\").");
        var schemaVersion = identify(value).SchemaVersion;
        if (schemaVersion < 1 || schemaVersion > CurrentSchemaVersion)
            throw new InvalidDataException($"Manifest schema version {schemaVersion} is not supported by this version (reads 1 to {CurrentSchemaVersion}).");
        return value;
    }

    /// <summary>The result of <paramref name="read"/>, or null where the file is missing, unreadable or not ours.</summary>
    internal static T? OrNull<T>(Func<T> read) where T : class
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    private static string ReadToolVersion()
    {
        var assembly = typeof(FaceManifest).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
