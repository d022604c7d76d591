namespace FaceCluster.Engine.Export;

/// <summary>
/// The export's symbolic link policy, held by every writer of an export folder: the output folder itself may be a link
/// to a real folder (everything is written through it); a link inside it (a symbolic link or junction where the export
/// expects its own folder or file: a person folder, <c>review</c>, <c>review/thumbnails</c>, a photo, faces.json, a
/// page) is never followed to write, move or remove anything, and is itself never replaced or removed: it is the
/// user's, left as it is and reported.
/// </summary>
internal static class ExportLinks
{
    /// <summary>What is at <paramref name="path"/> without following a final link (a dangling link counts): a
    /// <see cref="FileInfo"/> for a file or any link, a <see cref="DirectoryInfo"/> for a real folder, null for nothing.</summary>
    public static FileSystemInfo? Entry(string path)
    {
        var file = new FileInfo(path);
        if (file.LinkTarget is not null || file.Exists)
            return file;
        var directory = new DirectoryInfo(path);
        return directory.Exists ? directory : null;
    }

    /// <summary>Whether <paramref name="path"/> is a symbolic link or junction (a dangling one too).</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>The first link among <paramref name="folder"/> and the folders between it and <paramref name="root"/>
    /// (the root itself, which may be a link, excluded); null where there is none.</summary>
    public static string? LinkBelow(string root, string folder)
    {
        var relative = Path.GetRelativePath(root, folder);
        if (relative == ".")
            return null;
        var path = root;
        foreach (var part in relative.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            if (IsLink(path))
                return path;
        }
        return null;
    }

    /// <summary>The message for a link the export leaves alone.</summary>
    public static string LeftAlone(string link, string what) =>
        $"'{link}' is a link (to '{new FileInfo(link).LinkTarget}'), not {what}: nothing is written, moved or removed through it; left as it is.";
}
