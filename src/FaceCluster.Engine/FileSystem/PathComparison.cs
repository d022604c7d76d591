using System.Runtime.InteropServices;

namespace FaceCluster.Engine.FileSystem;

/// <summary>
/// How this platform compares file paths: ignoring case on Windows and macOS, whose usual file systems (NTFS, APFS,
/// HFS+) do, so that one photo spelled two ways is one photo; exactly on Linux and elsewhere, where they are two files.
/// Every path comparison in the engine goes through here.
/// </summary>
public static class PathComparison
{
    /// <summary>This platform's comparison.</summary>
    public static StringComparison Current { get; } = For(
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux);

    /// <summary>This platform's comparer, for dictionaries, sets and sorting.</summary>
    public static StringComparer Comparer { get; } = StringComparer.FromComparison(Current);

    /// <summary>The comparison for paths on <paramref name="platform"/>.</summary>
    public static StringComparison For(OSPlatform platform) =>
        platform == OSPlatform.Windows || platform == OSPlatform.OSX ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
}
