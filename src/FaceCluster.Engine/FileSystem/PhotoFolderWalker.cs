using System.IO.Enumeration;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.Imaging;

namespace FaceCluster.Engine.FileSystem;

/// <summary>
/// The photos in a folder tree, as <c>Get-ChildItem -Recurse -File</c> would list them for Get-FaceEncoding, without
/// a PowerShell object a file: every file whose name ends with an image extension (<see cref="ImageFileExtensions"/>,
/// any case), in the ordinal order of their full paths (a folder's entries sorted, each subfolder walked where its
/// name falls), so output and progress are the same on every run. Hidden and system entries are left out, as
/// Get-ChildItem does without -Force (on Unix, names starting with a dot). A symbolic link or junction to a folder is
/// never followed (Get-ChildItem -Recurse without -FollowSymlink), so a link loop cannot hang the walk; a link to a
/// file is a file. A folder holding a FaceCluster manifest (<see cref="ExportFolderFinder"/>'s rule) is left out
/// whole, unless export folders are included. A folder that cannot be listed is reported and the walk goes on.
/// Streams: each folder is listed when the walk reaches it. Not thread-safe.
/// </summary>
/// <remarks>
/// .NET's FileSystemEnumerable lists each folder; its own recursion is not used because it neither sorts nor says
/// which folder it could not read (it stops, or skips silently), so the walk across folders is this class's.
/// </remarks>
public sealed class PhotoFolderWalker
{
    private static readonly EnumerationOptions ListingOptions = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        ReturnSpecialDirectories = false,
    };

    private readonly ExportFolderFinder? _exports;

    /// <param name="includeExportFolders">Walk FaceCluster export folders too (Get-FaceEncoding -IncludeExportFolder).</param>
    public PhotoFolderWalker(bool includeExportFolders)
    {
        _exports = includeExportFolders ? null : new ExportFolderFinder();
    }

    /// <summary>The photos under <paramref name="folder"/> and the folders left out, in path order.</summary>
    public IEnumerable<PhotoWalkEntry> Walk(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (_exports?.ExportFolderAt(root) is { } export)
        {
            yield return new PhotoWalkEntry(export, PhotoWalkEntryKind.ExportFolder);
            yield break;
        }

        // Depth first: the folders being walked, each with its sorted listing and how far the walk has taken it.
        var levels = new Stack<Level>();
        if (Enter(root, levels) is { } rootLeftOut)
        {
            yield return rootLeftOut;
        }

        while (levels.TryPeek(out Level? level))
        {
            if (level.Next == level.Entries.Count)
            {
                levels.Pop();
                continue;
            }

            Entry entry = level.Entries[level.Next++];
            string path = Path.Join(level.Folder, entry.Name);
            if (entry.Kind == EntryKind.Photo)
            {
                yield return new PhotoWalkEntry(path, PhotoWalkEntryKind.Photo);
            }
            else if (Enter(path, levels) is { } leftOut)
            {
                yield return leftOut;
            }
        }
    }

    /// <summary>
    /// Lists <paramref name="folder"/> and pushes its photos and subfolders, sorted, onto <paramref name="levels"/>;
    /// or returns why it is left out.
    /// </summary>
    private PhotoWalkEntry? Enter(string folder, Stack<Level> levels)
    {
        var entries = new List<Entry>();
        bool holdsManifest = false;
        try
        {
            var listing = new FileSystemEnumerable<Entry>(folder, (ref FileSystemEntry e) => Entry.Of(e.FileName.ToString(), KindOf(ref e)), ListingOptions)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => KindOf(ref e) != EntryKind.Other,
            };
            foreach (Entry entry in listing)
            {
                if (entry.Kind == EntryKind.Manifest)
                {
                    holdsManifest = true;
                }
                else
                {
                    entries.Add(entry);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PhotoWalkEntry(folder, PhotoWalkEntryKind.UnreadableFolder, e);
        }

        if (holdsManifest && _exports is not null && ExportFolderFinder.HoldsManifest(folder))
        {
            return new PhotoWalkEntry(folder, PhotoWalkEntryKind.ExportFolder);
        }

        // A folder sorts as its name and a separator, so the walk's order is the ordinal order of full paths.
        entries.Sort((a, b) => string.CompareOrdinal(a.SortKey, b.SortKey));
        levels.Push(new Level(folder, entries));
        return null;
    }

    private static EntryKind KindOf(ref FileSystemEntry e)
    {
        if (e.IsDirectory)
        {
            // A link to a folder (or a Windows junction) is a reparse point: never followed.
            return (e.Attributes & FileAttributes.ReparsePoint) != 0 ? EntryKind.Other : EntryKind.Folder;
        }

        return ImageFileExtensions.IsImageName(e.FileName) ? EntryKind.Photo
            : e.FileName.Equals(FaceManifest.FileName, PathComparison.Current) ? EntryKind.Manifest
            : EntryKind.Other;
    }

    private enum EntryKind
    {
        Other,
        Photo,
        Folder,
        Manifest,
    }

    private readonly record struct Entry(string Name, EntryKind Kind, string SortKey)
    {
        public static Entry Of(string name, EntryKind kind) => new(name, kind, kind == EntryKind.Folder ? name + Path.DirectorySeparatorChar : name);
    }

    private sealed class Level(string folder, List<Entry> entries)
    {
        public string Folder { get; } = folder;

        public List<Entry> Entries { get; } = entries;

        public int Next { get; set; }
    }
}
