using System.Diagnostics;
using FaceCluster.Engine.Imaging;
using static FaceCluster.Engine.Tests.HostileImages;

namespace FaceCluster.Engine.Tests.Imaging;

/// <summary>Only the orientation is read from a photo's metadata: text and profiles are never inflated.</summary>
[Collection(nameof(MemoryMeasurementCollection))]
public class ImageMetadataMemoryTests
{
    [Fact]
    public void Png_with_zTXt_bombs_loads_with_its_orientation_in_bounded_memory()
    {
        // Issue 19: a 3.7 MB PNG of zTXt chunks took 11.6 GB. Here two chunks of 256 KB inflate to 256 MB each.
        var deflated = ZerosDeflated(256L << 20);
        var png = WithPngChunks(Png(60, 40), ("eXIf", ExifOrientation(6)), ("zTXt", Ztxt(deflated)), ("zTXt", Ztxt(deflated)));
        using var temp = new TempDirectory();
        var path = temp.File("bomb.png");
        File.WriteAllBytes(path, png);
        GC.Collect();
        using var growth = new WorkingSetGrowth();

        using (var image = ImageLoader.Load(path))
        {
            Assert.Equal((40, 60), (image.FullWidth, image.FullHeight)); // orientation 6 read: the axes swap
        }

        long grown = growth.Stop();
        Assert.True(grown < 64L << 20, $"the working set grew by {grown >> 20} MB");
    }

    [Fact]
    public void Png_with_a_16_MB_eXIf_chunk_loads_at_once_with_its_orientation()
    {
        // Orientation sits in the first directory of EXIF; a huge eXIf chunk is not parsed whole.
        var png = WithPngChunks(Png(60, 40), ("eXIf", [.. ExifOrientation(6), .. new byte[16 << 20]]));
        using var temp = new TempDirectory();
        var path = temp.File("big-exif.png");
        File.WriteAllBytes(path, png);
        var watch = Stopwatch.StartNew();

        using var image = ImageLoader.Load(path);

        Assert.True(watch.ElapsedMilliseconds < 5000, $"took {watch.ElapsedMilliseconds} ms");
        Assert.Equal((40, 60), (image.FullWidth, image.FullHeight));
    }

    [Fact]
    public void Issue_icon_whose_png_claims_5000x5000_is_Truncated_without_allocating_its_pixels()
    {
        // 13 bytes of image data cannot inflate to 100 MB of pixels (deflate packs at most 1032 bytes into one).
        using var temp = new TempDirectory();
        var path = temp.File("icon.jpg");
        File.WriteAllBytes(path, IssueIcon());
        GC.Collect();
        using var growth = new WorkingSetGrowth();

        ImageLoaderTests.AssertFails(path, ImageDecodeFailure.Truncated);

        long grown = growth.Stop();
        Assert.True(grown < 32L << 20, $"the working set grew by {grown >> 20} MB");
    }
}
