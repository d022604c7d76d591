using System.Runtime.InteropServices;
using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.Tests.FileSystem;

public class PathComparisonTests
{
    [Theory]
    [InlineData("WINDOWS", StringComparison.OrdinalIgnoreCase)]
    [InlineData("OSX", StringComparison.OrdinalIgnoreCase)]
    [InlineData("LINUX", StringComparison.Ordinal)]
    [InlineData("FREEBSD", StringComparison.Ordinal)]
    public void Case_is_ignored_on_Windows_and_macOS_only(string platform, StringComparison expected) =>
        Assert.Equal(expected, PathComparison.For(OSPlatform.Create(platform)));

    [Fact]
    public void Current_is_the_comparison_for_the_running_platform()
    {
        bool ignoresCase = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS();
        Assert.Equal(ignoresCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal, PathComparison.Current);
        Assert.Equal(ignoresCase, PathComparison.Comparer.Equals("/Photos/IMG_1.JPG", "/photos/img_1.jpg"));
    }
}
