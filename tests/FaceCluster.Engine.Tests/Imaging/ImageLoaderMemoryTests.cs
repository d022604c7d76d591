using System.Diagnostics;
using FaceCluster.Engine.Imaging;

namespace FaceCluster.Engine.Tests.Imaging;

[Collection(nameof(MemoryMeasurementCollection))]
public class ImageLoaderMemoryTests
{
    [Fact]
    public void Huge_png_is_TooLarge_without_allocating_its_pixels()
    {
        using var temp = new TempDirectory();
        var path = temp.File("huge.png");
        TestImages.WriteBlackPng(path, 20000, 20000);
        Assert.True(new FileInfo(path).Length < 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        using var growth = new WorkingSetGrowth();

        ImageLoaderTests.AssertFails(path, ImageDecodeFailure.TooLarge);

        long grown = growth.Stop();
        // Its pixels would take 1.6 GB.
        Assert.True(grown < 256L << 20, $"the working set grew by {grown >> 20} MB");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "managed allocation stayed small");
        Assert.True(watch.ElapsedMilliseconds < 5000, $"took {watch.ElapsedMilliseconds} ms");
    }
}
