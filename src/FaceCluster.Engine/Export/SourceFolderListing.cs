using System.IO.Enumeration;
using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.Export;

/// <summary>
/// The stamps of the source photos, each photo's folder listed once (one directory read and one stat an entry) when
/// first asked about, so that a sync of a large export answers "is this source as it was" without a round of system
/// calls a photo. What it answers is what <see cref="FileStamp.TryRead"/> would: null for a link, a folder or nothing;
/// a name the listing does not hold is looked up on its own. A snapshot taken while planning, as the export folder's
/// <see cref="ExportFolderListing"/> is.
/// </summary>
internal sealed class SourceFolderListing
{
    private readonly Dictionary<string, Dictionary<string, FileStamp?>> _folders = new(PathComparison.Comparer);

    /// <summary>The length and time of the plain file at <paramref name="path"/> (a full path), or null.</summary>
    public FileStamp? Stamp(string path)
    {
        var folder = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(folder))
            return FileStamp.TryRead(path);
        if (!_folders.TryGetValue(folder, out var entries))
            _folders.Add(folder, entries = List(folder));
        return entries.TryGetValue(Path.GetFileName(path), out var stamp) ? stamp : FileStamp.TryRead(path);
    }

    private static Dictionary<string, FileStamp?> List(string folder)
    {
        var entries = new Dictionary<string, FileStamp?>(PathComparison.Comparer);
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
        try
        {
            var listing = new FileSystemEnumerable<(string Name, FileStamp? Stamp)>(folder,
                (ref FileSystemEntry e) => (e.FileName.ToString(), (e.Attributes & FileAttributes.ReparsePoint) != 0 || e.IsDirectory
                    ? null
                    : new FileStamp(e.Length, e.LastWriteTimeUtc.UtcDateTime)), options);
            foreach (var (name, stamp) in listing)
                entries[name] = stamp;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be listed: each of its photos is looked up on its own.
        }
        return entries;
    }
}
