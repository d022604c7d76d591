namespace FaceCluster.Engine.Export;

/// <summary>
/// A file an earlier export wrote into the folder, as <see cref="SyncPlanner"/> knows it: from the faces and clusters of
/// the folder's faces.json, and from its <see cref="FaceManifest.Earlier"/> list while a sync is unfinished.
/// </summary>
public sealed record FaceManifestOwnedFile
{
    /// <summary>Relative to the output folder, '/' separated: <c>label/file name</c>.</summary>
    public required string Destination { get; init; }

    /// <summary>The source photo placed there (for a representative, the photo it was cropped from).</summary>
    public string? Source { get; init; }

    /// <summary>For a representative: the face it shows.</summary>
    public int? FaceIndex { get; init; }

    public bool Representative { get; init; }

    /// <summary>The group the file was written for.</summary>
    public required int ClusterId { get; init; }

    /// <summary>True where a complete export wrote it, so a missing file was removed by the user; false where it may
    /// never have been written (an interrupted export) or a sync was moving or removing it.</summary>
    public required bool Complete { get; init; }

    /// <summary>The file as written; null where it was not recorded.</summary>
    public FileStamp? Stamp { get; init; }

    /// <summary>The file's full path, or null where <see cref="Destination"/> is not exactly <c>folder/name</c> inside
    /// <paramref name="root"/> (a hand-edited faces.json never sends a sync outside its folder).</summary>
    public string? FullPath(string root)
    {
        var parts = Destination.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p is "." or ".." || p.IndexOfAny(['\\', ':']) >= 0 || p.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
            return null;
        return Path.Combine(root, parts[0], parts[1]);
    }
}
