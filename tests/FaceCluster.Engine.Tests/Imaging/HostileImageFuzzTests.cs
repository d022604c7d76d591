using System.Diagnostics;
using FaceCluster.Engine.Imaging;

namespace FaceCluster.Engine.Tests.Imaging;

/// <summary>
/// Every accepted container with a hostile inner image or oversized metadata (<see cref="HostileImageCases"/>): each
/// decodes or fails with a stable reason, within a memory bound and a few seconds, and never takes the process down.
/// Run in this process: a native abort (the SIGILL of an icon whose PNG claims 5000x5000) ends the test host, which
/// is how this test failed before the loader stopped handing icons to SkiaSharp.
/// </summary>
[Collection(nameof(MemoryMeasurementCollection))]
public class HostileImageFuzzTests
{
    public static TheoryData<string> Cases => new(HostileImageCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_file_decodes_or_fails_with_a_stable_reason_within_bounds(string name)
    {
        using var temp = new TempDirectory();
        var path = temp.File(name);
        File.WriteAllBytes(path, HostileImageCases.All[name]());
        long fileBytes = new FileInfo(path).Length;
        GC.Collect();
        var watch = Stopwatch.StartNew();
        using var growth = new WorkingSetGrowth();

        string outcome;
        try
        {
            using var image = ImageLoader.Load(path, maxImageSize: 1600);
            Assert.InRange(Math.Max(image.Bitmap.Width, image.Bitmap.Height), 1, 1600);
            outcome = $"decoded {image.FullWidth}x{image.FullHeight}";
        }
        catch (ImageDecodeException e)
        {
            Assert.Equal(path, e.Path);
            Assert.Contains(e.Reason, new[] { ImageDecodeFailure.Truncated, ImageDecodeFailure.TooLarge, ImageDecodeFailure.UnsupportedFormat });
            outcome = $"{e.Reason}: {e.Detail}";
        }

        long grown = growth.Stop();
        // What the loader may allocate: the pixels its budget allows (a 65535x65535 GIF canvas is decoded at 1/8, 67
        // megapixels) and a few copies of the file. Nothing inflated, nor allocated for a size the data cannot hold.
        long bound = 4 * ImageLoader.DefaultPixelBudget + 3 * fileBytes;
        Assert.True(grown < bound, $"{name} ({outcome}): the working set grew by {grown >> 20} MB, over {bound >> 20} MB");
        Assert.True(watch.ElapsedMilliseconds < 10_000, $"{name} ({outcome}) took {watch.ElapsedMilliseconds} ms");
    }
}
