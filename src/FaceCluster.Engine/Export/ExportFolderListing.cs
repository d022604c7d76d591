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
    // Whether each folder asked about is a real folder (listed); what the listed folders hold, by "folder/name", so that
    // a question about a listed folder's file costs one lookup and no new string.
    private readonly Dictionary<string, bool> _folders = new(PathComparison.Comparer);
    private readonly Dictionary<string, ExportFolderEntry> _entries = new(PathComparison.Comparer);

    /// <summary>What is at <paramref name="relative"/> (<c>folder/name</c>, '/' separated) without following a final
    /// link; null for nothing or a real folder.</summary>
    public ExportFolderEntry? Entry(string relative)
    {
        if (_entries.TryGetValue(relative, out var listed))
            return listed;
        var slash = relative.IndexOf('/');
        if (slash > 0 && relative.IndexOf('/', slash + 1) < 0 && Listed(relative[..slash]))
            return _entries.TryGetValue(relative, out var entry) ? entry : null;
        var full = Path.Combine([root, .. relative.Split('/')]);
        return ExportLinks.Entry(full) switch
        {
            FileInfo { LinkTarget: not null } => new ExportFolderEntry(IsLink: true, null),
            FileInfo file => new ExportFolderEntry(IsLink: false, new FileStamp(file.Length, file.LastWriteTimeUtc)),
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="folder"/> (a name in the root) is a link.</summary>
    public bool IsLinkedFolder(string folder) => !Listed(folder) && ExportLinks.IsLink(Path.Combine(root, folder));

    /// <summary>Whether <paramref name="folder"/> (a name in the root) is a real folder, not a link to one.</summary>
    public bool IsFolder(string folder) => Listed(folder);

    /// <summary>Lists <paramref name="folder"/> the first time it is asked about; whether it is a real folder.</summary>
    private bool Listed(string folder)
    {
        if (_folders.TryGetValue(folder, out var isFolder))
            return isFolder;
        var full = Path.Combine(root, folder);
        // A real folder (what ExportLinks.Entry gives a DirectoryInfo for), told by one lstat: not a link to one.
        var info = new DirectoryInfo(full);
        isFolder = info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0;
        if (isFolder)
        {
            // Hidden entries too (a temporary of ours, a user's dot file); a subfolder is nothing a file could be.
            var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
            var prefix = folder + "/";
            var listing = new FileSystemEnumerable<(string Name, ExportFolderEntry Entry)>(full,
                (ref FileSystemEntry e) => (string.Concat(prefix, e.FileName), (e.Attributes & FileAttributes.ReparsePoint) != 0
                    ? new ExportFolderEntry(IsLink: true, null)
                    : new ExportFolderEntry(IsLink: false, new FileStamp(e.Length, e.LastWriteTimeUtc.UtcDateTime))), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) != 0 || !e.IsDirectory,
            };
            foreach (var (name, entry) in listing)
                _entries[name] = entry;
        }
        _folders[folder] = isFolder;
        return isFolder;
    }
}
