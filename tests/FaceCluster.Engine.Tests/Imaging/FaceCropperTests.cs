using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Tests.Imaging;

public class FaceCropperTests
{
    [Fact]
    public void CropJpeg_gives_a_square_jpeg_of_the_face()
    {
        using var temp = new TempDirectory();
        var path = temp.File("halves.png");
        using (var bitmap = new SKBitmap(400, 200))
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawRect(300, 50, 60, 100, new SKPaint { Color = SKColors.Red });
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path, data.ToArray());
        }

        var jpeg = FaceCropper.CropJpeg(path, new FaceBox(300, 50, 60, 100), size: 128, margin: 0f);

        using var crop = SKBitmap.Decode(jpeg);
        Assert.Equal((128, 128), (crop.Width, crop.Height));
        var centre = crop.GetPixel(64, 64);
        Assert.True(centre.Red > 200 && centre.Green < 60, $"centre is {centre}");
        var left = crop.GetPixel(5, 64); // the square is wider than the box: white beside it
        Assert.True(left.Green > 200, $"left edge is {left}");
    }
}
