using System.IO.Enumeration;
using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.Export;

/// <summary>
/// What the person folders of an export hold, each folder listed once (one directory read and one stat an entry) when
/// first asked about, so that a sync of a large export answers "is there a file, a link, with which length and time"
/// without a round of system calls a file. A folder that is a link, or not a real folder, is not listed: the answers
/// for it come from the file system each time, as <see cref="ExportLinks"/> would give them. A snapshot: the executor
/// checks every file again before it writes, moves or removes anything.
/// </summary>
internal sealed class ExportFolderListing(string root)
{
    private readonly Dictionary<string, Dictionary<string, ExportFolderEntry>?> _folders = new(PathComparison.Comparer);

    /// <summary>What is at <paramref name="relative"/> (<c>folder/name</c>, '/' separated) without following a final
    /// link; null for nothing or a real folder.</summary>
    public ExportFolderEntry? Entry(string relative)
    {
        var slash = relative.IndexOf('/');
        if (slash > 0 && relative.IndexOf('/', slash + 1) < 0 && Listed(relative[..slash]) is { } entries)
            return entries.TryGetValue(relative[(slash + 1)..], out var entry) ? entry : null;
        var full = Path.Combine([root, .. relative.Split('/')]);
        return ExportLinks.Entry(full) switch
        {
            FileInfo { LinkTarget: not null } => new ExportFolderEntry(IsLink: true, null),
            FileInfo file => new ExportFolderEntry(IsLink: false, new FileStamp(file.Length, file.LastWriteTimeUtc)),
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="folder"/> (a name in the root) is a link.</summary>
    public bool IsLinkedFolder(string folder) => Listed(folder) is null && ExportLinks.IsLink(Path.Combine(root, folder));

    private Dictionary<string, ExportFolderEntry>? Listed(string folder)
    {
        if (_folders.TryGetValue(folder, out var entries))
            return entries;
        var full = Path.Combine(root, folder);
        entries = ExportLinks.Entry(full) is DirectoryInfo ? new Dictionary<string, ExportFolderEntry>(PathComparison.Comparer) : null;
        if (entries is not null)
        {
            // Hidden entries too (a temporary of ours, a user's dot file); a subfolder is nothing a file could be.
            var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
            var listing = new FileSystemEnumerable<(string Name, ExportFolderEntry Entry)>(full,
                (ref FileSystemEntry e) => (e.FileName.ToString(), (e.Attributes & FileAttributes.ReparsePoint) != 0
                    ? new ExportFolderEntry(IsLink: true, null)
                    : new ExportFolderEntry(IsLink: false, new FileStamp(e.Length, e.LastWriteTimeUtc.UtcDateTime))), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) != 0 || !e.IsDirectory,
            };
            foreach (var (name, entry) in listing)
                entries[name] = entry;
        }
        _folders[folder] = entries;
        return entries;
    }
}
