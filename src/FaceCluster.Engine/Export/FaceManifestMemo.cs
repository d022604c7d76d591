using FaceCluster.Engine.Store;

namespace FaceCluster.Engine.Export;

/// <summary>
/// The last faces.json this process read, kept with its <see cref="PhotoFileStamp"/> (size, times and identity) from
/// before the read, so that one night's <c>Invoke-FaceCluster -Previous</c> and <c>Export-FaceCluster -Sync</c>, and the export's several looks at
/// the folder's header (<see cref="ExportTarget.Check"/>, the manifest writes), parse it once: at a million faces the
/// file is some 550 MB. A file changed in any way since (rewritten, edited in place, replaced) has another stamp and
/// is read again; a file without a stamp is read every time. One file is kept, whole or header only, until another is read or an export writes it (then its header, <see cref="Written"/>) or ends (<see cref="Forget"/>).
/// </summary>
internal static class FaceManifestMemo
{
    private static readonly object Gate = new();
    private static Entry? _last;

    /// <summary>The manifest at <paramref name="path"/>: the one kept where the file has not changed, else read
    /// (<see cref="FaceManifest.ReadFile"/>) and kept, with its header (<see cref="FaceManifestHeader.ReadFile"/>) for
    /// later header reads.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a FaceCluster manifest, or a newer schema.</exception>
    public static FaceManifest Manifest(string path)
    {
        var full = Path.GetFullPath(path);
        var stamp = PhotoFileStamp.Of(full);
        var kept = stamp is null ? null : Kept(full, stamp.Value);
        if (kept?.Manifest is { } manifest)
            return manifest;
        manifest = FaceManifest.ReadFile(full);
        if (stamp is not null)
        {
            var header = kept?.Header ?? FaceManifestHeader.ReadFile(full);
            Keep(new Entry(full, stamp.Value, header.Fingerprint is null ? header with { Fingerprint = manifest.Fingerprint } : header, manifest));
        }
        return manifest;
    }

    /// <summary>The header of the manifest at <paramref name="path"/>: the one kept where the file has not changed, else
    /// read (<see cref="FaceManifestHeader.ReadFile"/>; a schema 1 manifest, which stores no fingerprint, read whole)
    /// and kept.</summary>
    /// <exception cref="InvalidDataException">Not JSON, not a FaceCluster manifest, or a newer schema.</exception>
    public static FaceManifestHeader Header(string path)
    {
        var full = Path.GetFullPath(path);
        var stamp = PhotoFileStamp.Of(full);
        if (stamp is not null && Kept(full, stamp.Value) is { } kept)
            return kept.Header;
        var header = FaceManifestHeader.ReadFile(full);
        if (header.Fingerprint is null)
            return header with { Fingerprint = Manifest(full).Fingerprint };
        if (stamp is not null)
            Keep(new Entry(full, stamp.Value, header, null));
        return header;
    }

    /// <summary>Keeps the header of <paramref name="manifest"/>, just written to <paramref name="path"/>, with the file's
    /// stamp as it is now: the header an export looks at next (<see cref="ExportExecutor"/>'s final manifest, whether
    /// the folder holds the same clustering) is known without reading the file back.</summary>
    public static void Written(string path, FaceManifest manifest)
    {
        var full = Path.GetFullPath(path);
        if (PhotoFileStamp.Of(full) is { } stamp)
            Keep(new Entry(full, stamp, FaceManifestHeader.Of(manifest), null));
        else
            Forget(full);
    }

    /// <summary>Drops what is kept of <paramref name="path"/> (about to be written).</summary>
    public static void Forget(string path)
    {
        var full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (_last is not null && string.Equals(_last.Path, full, StringComparison.Ordinal))
                _last = null;
        }
    }

    private static Entry? Kept(string full, PhotoFileStamp stamp)
    {
        lock (Gate)
            return _last is { } last && string.Equals(last.Path, full, StringComparison.Ordinal) && last.Stamp == stamp ? last : null;
    }

    private static void Keep(Entry entry)
    {
        lock (Gate)
            _last = entry;
    }

    private sealed record Entry(string Path, PhotoFileStamp Stamp, FaceManifestHeader Header, FaceManifest? Manifest);
}
