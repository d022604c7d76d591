using System.Security.Cryptography;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>Everything under a folder, hidden entries included and links not followed, as sorted lines of relative path
/// and content (SHA-256 of a file's bytes, a link's target): two folders with equal snapshots hold the same tree.</summary>
public static class FolderSnapshot
{
    public static string[] Of(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, MatchType = MatchType.Simple };
        var directories = Directory.EnumerateDirectories(folder, "*", options).Select(d => $"D {Relative(folder, d)}");
        var entries = Directory.EnumerateFiles(folder, "*", options)
            .Concat(Directory.EnumerateDirectories(folder, "*", options).Prepend(folder)
                .SelectMany(d => Directory.EnumerateFileSystemEntries(d, "*", new EnumerationOptions { AttributesToSkip = 0 }))
                .Where(e => new FileInfo(e).LinkTarget is not null))
            .Distinct(StringComparer.Ordinal)
            .Select(f => new FileInfo(f) is { LinkTarget: { } target }
                ? $"L {Relative(folder, f)} -> {target}"
                : $"F {Relative(folder, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}");
        return directories.Concat(entries).Order(StringComparer.Ordinal).ToArray();
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
