using System.Runtime.InteropServices;

namespace FaceCluster.Loading;

/// <summary>
/// The runtime identifier (<c>win-x64</c>, <c>osx-arm64</c>, ...) whose native libraries this process can load. It
/// follows the process's architecture, not the machine's: an x64 process under Rosetta on Apple silicon or under
/// emulation on Windows on ARM needs x64 libraries.
/// </summary>
internal static class NativeRuntimeId
{
    public static string Current =>
        For(OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux,
            RuntimeInformation.ProcessArchitecture);

    /// <summary>The identifier for a process of <paramref name="processArchitecture"/> on <paramref name="platform"/>.</summary>
    public static string For(OSPlatform platform, Architecture processArchitecture)
    {
        string os = platform == OSPlatform.Windows ? "win" : platform == OSPlatform.OSX ? "osx" : "linux";
        return $"{os}-{processArchitecture.ToString().ToLowerInvariant()}";
    }
}
