using FaceCluster.Engine.Export;
using FaceCluster.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Tests.Export;

public sealed class FaceCropWriterTests : TempDirectoryTest
{
    private static readonly SKColor Red = new(220, 30, 40);

    /// <summary>Writes a raw <paramref name="rawWidth"/>x<paramref name="rawHeight"/> photo with a red <paramref name="red"/>
    /// rectangle, and crops the face <paramref name="box"/> given in an upright image of <paramref name="uprightWidth"/>x<paramref name="uprightHeight"/>.</summary>
    private SKBitmap Crop(int rawWidth, int rawHeight, SKRectI red, FaceBox box, int uprightWidth, int uprightHeight, ushort? exifOrientation = null)
    {
        var path = TestJpeg.Write(Temp.Combine(Guid.NewGuid().ToString("N") + ".jpg"), rawWidth, rawHeight, red, Red, exifOrientation);
        var jpeg = FaceCropWriter.CreateJpeg(TestFaces.Face(path, 0, box, uprightWidth, uprightHeight));
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        return SKBitmap.Decode(jpeg) ?? throw new InvalidDataException("crop is not decodable");
    }

    private static void AssertClose(SKColor expected, SKColor actual)
    {
        const int tolerance = 24; // JPEG, twice
        Assert.True(Math.Abs(expected.Red - actual.Red) <= tolerance && Math.Abs(expected.Green - actual.Green) <= tolerance
            && Math.Abs(expected.Blue - actual.Blue) <= tolerance, $"expected about {expected}, got {actual}");
    }

    [Fact]
    public void Crop_is_a_square_256_jpeg_centred_on_the_face_with_a_margin()
    {
        using var crop = Crop(400, 300, new SKRectI(150, 100, 250, 200), new FaceBox(150, 100, 100, 100), 400, 300);

        Assert.Equal((256, 256), (crop.Width, crop.Height));
        AssertClose(Red, crop.GetPixel(128, 128));
        AssertClose(TestJpeg.Background, crop.GetPixel(8, 8)); // the margin around the face
        AssertClose(TestJpeg.Background, crop.GetPixel(247, 247));
    }

    [Fact]
    public void Exif_orientation_is_applied_because_boxes_are_upright()
    {
        // Upright the photo is 300x400 with the face at (50,200) 80x80. Orientation 6 ("rotate 90 clockwise to view") stores
        // it as 400x300 with upright (x, y) at raw (y, 300 - x): the face's pixels are at raw (200..280, 170..250).
        using var crop = Crop(400, 300, new SKRectI(200, 170, 280, 250), new FaceBox(50, 200, 80, 80), 300, 400, exifOrientation: 6);

        AssertClose(Red, crop.GetPixel(128, 128));
        AssertClose(TestJpeg.Background, crop.GetPixel(6, 6));
    }

    [Theory]
    [InlineData("heic")]
    [InlineData("tif")]
    public void A_rotated_phone_photo_is_cropped_upright(string format)
    {
        // Upright 300x400 with the face at (50,200) 80x80, stored rotated counter-clockwise and marked to be shown
        // rotated clockwise (HEIF: irot; TIFF: EXIF orientation 6).
        using var upright = new SKBitmap(new SKImageInfo(300, 400, SKColorType.Rgba8888, SKAlphaType.Premul));
        upright.Erase(TestJpeg.Background);
        using (var canvas = new SKCanvas(upright))
        {
            canvas.DrawRect(50, 200, 80, 80, new SKPaint { Color = Red });
        }

        using var stored = TestImages.Transform(upright, new SKMatrix(0, 1, 0, -1, 0, 300, 0, 0, 1), 400, 300);
        var path = Temp.Combine("IMG_0001." + format);
        PhonePhotos.WriteRotatedClockwise(path, stored, format);

        using var crop = SKBitmap.Decode(FaceCropWriter.CreateJpeg(TestFaces.Face(path, 0, new FaceBox(50, 200, 80, 80), 300, 400)));

        AssertClose(Red, crop.GetPixel(128, 128));
        AssertClose(TestJpeg.Background, crop.GetPixel(6, 6));
    }

    [Fact]
    public void A_box_at_the_edge_is_shifted_inside_the_image()
    {
        using var crop = Crop(400, 300, new SKRectI(0, 0, 60, 60), new FaceBox(0, 0, 60, 60), 400, 300);

        Assert.Equal(256, crop.Width);
        AssertClose(Red, crop.GetPixel(20, 20)); // face in the top-left corner, no black fill
        AssertClose(TestJpeg.Background, crop.GetPixel(240, 240));
    }

    [Fact]
    public void Boxes_are_scaled_when_the_file_is_smaller_than_the_size_the_encoder_saw()
    {
        using var crop = Crop(200, 150, new SKRectI(75, 50, 125, 100), new FaceBox(150, 100, 100, 100), 400, 300);

        AssertClose(Red, crop.GetPixel(128, 128));
        AssertClose(TestJpeg.Background, crop.GetPixel(8, 8));
    }

    [Fact]
    public void An_undecodable_source_throws_invalid_data()
    {
        var path = Temp.Combine("bad.jpg");
        File.WriteAllText(path, "no image");
        Assert.Throws<InvalidDataException>(() => FaceCropWriter.CreateJpeg(TestFaces.Face(path)));
        Assert.Throws<IOException>(() => FaceCropWriter.CreateJpeg(TestFaces.Face(Temp.Combine("missing.jpg"))));
    }

    [Theory]
    [InlineData(SKEncodedOrigin.TopLeft)]
    [InlineData(SKEncodedOrigin.TopRight)]
    [InlineData(SKEncodedOrigin.BottomRight)]
    [InlineData(SKEncodedOrigin.BottomLeft)]
    [InlineData(SKEncodedOrigin.LeftTop)]
    [InlineData(SKEncodedOrigin.RightTop)]
    [InlineData(SKEncodedOrigin.RightBottom)]
    [InlineData(SKEncodedOrigin.LeftBottom)]
    public void Every_orientation_maps_the_raw_image_onto_the_upright_frame(SKEncodedOrigin origin)
    {
        var swaps = (int)origin >= 5;
        const float rawWidth = 40, rawHeight = 30;
        var (w, h) = swaps ? (rawHeight, rawWidth) : (rawWidth, rawHeight);

        var mapped = FaceCropWriter.UprightMatrix(origin, w, h).MapRect(SKRect.Create(0, 0, rawWidth, rawHeight));

        Assert.Equal(SKRect.Create(0, 0, w, h), mapped);
    }
}
