using FaceCluster.Engine.Imaging;
using SkiaSharp;

namespace FaceCluster.Engine.Tests.Imaging;

public class PixelTensorTests
{
    [Fact]
    public void A_std_per_channel_scales_each_plane_by_its_own_and_equal_stds_give_the_single_scale_bits()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.SetPixel(0, 0, new SKColor(200, 100, 50));
        bitmap.SetPixel(1, 0, new SKColor(0, 255, 127));
        var single = new float[6];
        var perChannel = new float[6];
        var different = new float[6];

        PixelTensor.FillChw(bitmap, single, 127.5f, 127.5f, 127.5f, 127.5f);
        PixelTensor.FillChw(bitmap, perChannel, 127.5f, 127.5f, 127.5f, 127.5f, 127.5f, 127.5f);
        PixelTensor.FillChw(bitmap, different, 0f, 0f, 0f, 1f, 2f, 4f, bgr: true);

        Assert.Equal(single, perChannel);
        // BGR planes: blue / 4, green / 2, red / 1.
        Assert.Equal([50f / 4, 127f / 4, 100f / 2, 255f / 2, 200f, 0f], different);
    }
}
