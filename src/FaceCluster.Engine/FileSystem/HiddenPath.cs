namespace FaceCluster.Engine.FileSystem;

/// <summary>
/// Tells a path that does not exist from one that a folder's permissions hide: a file in a folder this process may
/// not search, or a wildcard pattern in a folder it may not list. Both look missing to File.Exists and to
/// PowerShell's path resolution; the second is an unreadable photo, not a missing one.
/// </summary>
public static class HiddenPath
{
    /// <summary>Why <paramref name="path"/> (a file, or a pattern whose last segment has wildcards) cannot be seen, or null when nothing hides it.</summary>
    public static string? Reason(string path)
    {
        try
        {
            File.GetAttributes(path);
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            return e.Message;
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            // Missing, or a pattern: see whether its folder can be listed.
        }

        string? folder = Path.GetDirectoryName(path);
        if (folder is null || !Directory.Exists(folder))
        {
            return null;
        }

        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
            entries.MoveNext();
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            return e.Message;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
