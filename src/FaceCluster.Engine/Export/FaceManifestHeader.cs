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

    /// <summary>Reads the header of a manifest.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a FaceCluster manifest, or a newer schema.</exception>
    public static FaceManifestHeader Read(string path)
    {
        FaceManifestHeader header;
        using (var stream = File.OpenRead(path))
            header = FaceManifest.Deserialize<FaceManifestHeader>(stream, h => (h.Tool, h.SchemaVersion));
        return header.Fingerprint is null ? header with { Fingerprint = FaceManifest.Read(path).Fingerprint } : header;
    }

    /// <summary>Reads the header of a manifest, or returns null where the file is missing, unreadable or not ours.</summary>
    public static FaceManifestHeader? TryRead(string path) => FaceManifest.OrNull(() => Read(path));
}
