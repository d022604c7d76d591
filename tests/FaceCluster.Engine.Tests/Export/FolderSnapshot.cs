using System.Security.Cryptography;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>Everything under a folder, hidden entries included and links not followed, as sorted lines of relative path
/// and content (SHA-256 of a file's bytes, a link's target): two folders with equal snapshots hold the same tree.</summary>
public static class FolderSnapshot
{
    public static string[] Of(string folder)
    {
        var lines = new List<string>();
        Walk(folder);
        return lines.Order(StringComparer.Ordinal).ToArray();

        void Walk(string directory)
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
            {
                var relative = Path.GetRelativePath(folder, entry.FullName).Replace('\\', '/');
                if (entry.LinkTarget is { } target)
                {
                    lines.Add($"L {relative} -> {target}");
                }
                else if (entry is DirectoryInfo)
                {
                    lines.Add($"D {relative}");
                    Walk(entry.FullName);
                }
                else
                {
                    lines.Add($"F {relative} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry.FullName)))}");
                }
            }
        }
    }
}
