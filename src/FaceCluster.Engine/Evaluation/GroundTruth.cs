using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.Evaluation;

/// <summary>The true identity of each photo, for scoring a clustering.</summary>
public sealed class GroundTruth
{
    private GroundTruth(IReadOnlyDictionary<string, string> identityByPath) => IdentityByPath = identityByPath;

    /// <summary>Full file path -> identity; keys compare as the platform compares paths (<see cref="PathComparison"/>).</summary>
    public IReadOnlyDictionary<string, string> IdentityByPath { get; }

    /// <summary>Distinct identities, ordinal order.</summary>
    public IReadOnlyList<string> Identities => IdentityByPath.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The photos of several ground truths together (a photo in two of them keeps the first one's identity).</summary>
    public static GroundTruth Combine(IEnumerable<GroundTruth> parts)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (GroundTruth part in parts)
        {
            foreach ((string path, string identity) in part.IdentityByPath)
            {
                map.TryAdd(path, identity);
            }
        }

        return new GroundTruth(map);
    }

    /// <summary>
    /// A folder per person: every file below <c>root/NAME/</c> (at any depth) belongs to identity NAME. Files
    /// directly in the root, and hidden files and folders (name starting with '.'), are ignored.
    /// </summary>
    public static GroundTruth FromFolderTree(string root) => FromFolderTree(root, PathComparison.Comparer);

    /// <inheritdoc cref="FromFolderTree(string)"/>
    internal static GroundTruth FromFolderTree(string root, StringComparer pathComparer)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var dir = new DirectoryInfo(root);
        if (!dir.Exists)
        {
            throw new DirectoryNotFoundException($"Ground-truth folder not found: {root}");
        }

        var map = new Dictionary<string, string>(pathComparer);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        foreach (DirectoryInfo person in dir.EnumerateDirectories().Where(d => !IsHidden(d.Name)))
        {
            foreach (FileInfo file in person.EnumerateFiles("*", options))
            {
                string relative = Path.GetRelativePath(person.FullName, file.FullName);
                if (!relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(IsHidden))
                {
                    map[file.FullName] = person.Name;
                }
            }
        }

        return new GroundTruth(map);
    }

    private static bool IsHidden(string name) => name.StartsWith('.');
}
