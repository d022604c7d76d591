using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>
/// The top-level fields of a faces.json, read without materialising its clusters and faces (they are skipped, not
/// built: a 100,000-face manifest is some 70 MB): enough to tell which clustering and mode an export folder holds.
/// </summary>
public sealed record FaceManifestHeader
{
    public int SchemaVersion { get; init; }

    public string? Tool { get; init; }

    public ExportMode Mode { get; init; }

    /// <inheritdoc cref="FaceManifest.Complete"/>
    public bool Complete { get; init; } = true;

    /// <inheritdoc cref="FaceManifest.Syncing"/>
    public bool Syncing { get; init; }

    /// <summary>The stored <see cref="FaceManifest.Fingerprint"/>; for schema 1, which stored none, computed from the
    /// content.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The header a file holding <paramref name="manifest"/> has.</summary>
    internal static FaceManifestHeader Of(FaceManifest manifest) => new()
    {
        SchemaVersion = manifest.SchemaVersion, Tool = manifest.Tool, Mode = manifest.Mode, Complete = manifest.Complete,
        Syncing = manifest.Syncing, Fingerprint = manifest.Fingerprint,
    };

    /// <summary>Reads the header of a manifest (kept by <see cref="FaceManifestMemo"/> while the file is unchanged).</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a FaceCluster manifest, or a newer schema.</exception>
    public static FaceManifestHeader Read(string path) => FaceManifestMemo.Header(path);

    /// <summary>Reads the header from the file, its <see cref="Fingerprint"/> null where the file stores none.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a FaceCluster manifest, or a newer schema.</exception>
    internal static FaceManifestHeader ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return FaceManifest.Deserialize<FaceManifestHeader>(stream, h => (h.Tool, h.SchemaVersion));
    }

    /// <summary>Reads the header of a manifest, or returns null where the file is missing, unreadable or not ours.</summary>
    public static FaceManifestHeader? TryRead(string path) => FaceManifest.OrNull(() => Read(path));
}
