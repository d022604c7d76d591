namespace FaceCluster.Engine.Export;

/// <summary>
/// The length and last write time of a file an export wrote, recorded in faces.json so that a later
/// <c>Export-FaceCluster -Sync</c> can tell the file is still as written (the same size-and-time check file
/// synchronisers use) before it moves or removes it. Copies and representative crops take their source photo's time.
/// </summary>
public sealed record FileStamp(long Length, DateTime Modified)
{
    /// <summary>The stamp of the plain file at <paramref name="path"/>, or null where there is none (missing, a folder
    /// or a symbolic link).</summary>
    public static FileStamp? TryRead(string path)
    {
        var file = new FileInfo(path);
        return file.Exists && file.LinkTarget is null ? new FileStamp(file.Length, file.LastWriteTimeUtc) : null;
    }
}
