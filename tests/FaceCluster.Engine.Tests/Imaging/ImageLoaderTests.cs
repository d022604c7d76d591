using System.Diagnostics;
using FaceCluster.Engine.Imaging;
using ImageMagick;
using SkiaSharp;

namespace FaceCluster.Engine.Tests.Imaging;

public class ImageLoaderTests
{
    [Fact]
    public void Zero_byte_file_is_Empty()
    {
        using var temp = new TempDirectory();
        var path = temp.File("empty.jpg");
        File.WriteAllBytes(path, []);
        AssertFails(path, ImageDecodeFailure.Empty);
    }

    [Fact]
    public void First_half_of_a_jpeg_is_Truncated()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(TestAssets.Sample(1));
        var path = temp.File("half.jpg");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        AssertFails(path, ImageDecodeFailure.Truncated);
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_Truncated()
    {
        using var temp = new TempDirectory();
        var path = temp.File("header.jpg");
        File.WriteAllBytes(path, File.ReadAllBytes(TestAssets.Sample(1))[..40]);
        AssertFails(path, ImageDecodeFailure.Truncated);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("zeros")]
    public void Jpeg_with_200_bytes_overwritten_in_the_middle_is_Truncated(string fill)
    {
        // SkiaSharp decodes such a file "successfully": libjpeg-turbo only warns and fills in.
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(TestAssets.Sample(1));
        var middle = bytes.AsSpan(bytes.Length / 2, 200);
        if (fill == "random")
        {
            new Random(10).NextBytes(middle);
        }
        else
        {
            middle.Clear();
        }

        var path = temp.File("damaged.jpg");
        File.WriteAllBytes(path, bytes);
        AssertFails(path, ImageDecodeFailure.Truncated);
    }

    [Fact]
    public void Jpeg_with_extraneous_bytes_between_its_segments_is_read()
    {
        // Some cameras and editors leave stray bytes between marker segments; libjpeg warns ("extraneous bytes before
        // marker") and skips them, and the image is whole, so it must load.
        using var temp = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(TestAssets.Sample(1));
        int quantisationTable = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDB]);
        Assert.True(quantisationTable > 0);
        byte[] padded = [.. bytes[..quantisationTable], .. new byte[16], .. bytes[quantisationTable..]];
        var path = temp.File("padded.jpg");
        File.WriteAllBytes(path, padded);

        using var image = ImageLoader.Load(path);
        Assert.True(image.FullWidth > 0);
    }

    [Fact]
    public void Small_jpeg_claiming_60000x60000_pixels_is_Truncated_at_once()
    {
        using var temp = new TempDirectory();
        using var small = new SKBitmap(64, 64);
        small.Erase(SKColors.Gray);
        using var data = small.Encode(SKEncodedImageFormat.Jpeg, 90);
        var path = temp.File("claims-huge.jpg");
        File.WriteAllBytes(path, TestImages.WithJpegSize(data.ToArray(), 60000, 60000));
        Assert.True(new FileInfo(path).Length < 10_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(path));

        Assert.Equal(ImageDecodeFailure.Truncated, e.Reason);
        Assert.Contains("60000x60000", e.Message);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16L << 20, "managed allocation stayed small");
    }

    [Theory]
    [InlineData("flipped bytes mid-scan")]
    [InlineData("a stray marker mid-scan")]
    [InlineData("the end of image marker mid-scan")]
    [InlineData("stray bytes between segments, then damage")]
    public void Jpeg_damaged_inside_its_data_is_Truncated(string damage)
    {
        byte[] bytes = File.ReadAllBytes(TestAssets.Sample(1));
        int middle = bytes.Length / 2;
        switch (damage)
        {
            case "flipped bytes mid-scan":
                for (int i = 0; i < 8; i++)
                {
                    bytes[middle + (i * 37)] ^= 0x5A;
                }

                break;
            case "a stray marker mid-scan":
                (bytes[middle], bytes[middle + 1]) = ((byte)0xFF, (byte)0xD3); // RST3 where no restart interval is
                break;
            case "the end of image marker mid-scan":
                (bytes[middle], bytes[middle + 1]) = ((byte)0xFF, (byte)0xD9);
                break;
            default:
                // libjpeg's first warning is about the stray bytes, which are no damage; the damage comes after it.
                for (int i = 0; i < 8; i++)
                {
                    bytes[middle + (i * 37)] ^= 0x5A;
                }

                int quantisationTable = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDB]);
                bytes = [.. bytes[..quantisationTable], .. new byte[16], .. bytes[quantisationTable..]];
                break;
        }

        using var temp = new TempDirectory();
        var path = temp.File("damaged.jpg");
        File.WriteAllBytes(path, bytes);

        var e = AssertFails(path, ImageDecodeFailure.Truncated);
        Assert.Contains("JPEG data is damaged (Corrupt JPEG data: ", e.Message);
    }

    [Fact]
    public void Jpeg_with_bytes_after_its_end_marker_is_read()
    {
        // Some phones append data (a second preview, maker notes) after the end of image marker; the image is whole.
        using var temp = new TempDirectory();
        var path = temp.File("trailing.jpg");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(TestAssets.Sample(1)), .. Enumerable.Range(0, 3000).Select(i => (byte)i)]);

        using var image = ImageLoader.Load(path);

        Assert.Equal(1920, image.FullWidth);
    }

    [Theory]
    [InlineData(SKJpegEncoderDownsample.Downsample420)]
    [InlineData(SKJpegEncoderDownsample.Downsample422)]
    [InlineData(SKJpegEncoderDownsample.Downsample444)]
    public void Jpeg_of_each_chroma_subsampling_is_read_at_a_reduced_scale_and_its_damage_found(SKJpegEncoderDownsample downsample)
    {
        using var bitmap = new SKBitmap(800, 600);
        var random = new Random(4);
        var pixels = bitmap.GetPixelSpan();
        random.NextBytes(pixels);
        for (int i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKJpegEncoderOptions(90, downsample, SKJpegEncoderAlphaOption.Ignore))
            ?? throw new InvalidOperationException("SkiaSharp did not encode the JPEG.");
        byte[] jpeg = data.ToArray();
        using var temp = new TempDirectory();
        var path = temp.File("clean.jpg");
        File.WriteAllBytes(path, jpeg);
        using (var image = ImageLoader.Load(path, maxImageSize: 200))
        {
            Assert.Equal((200, 150), (image.Bitmap.Width, image.Bitmap.Height)); // decoded at 1/4
        }

        (jpeg[jpeg.Length / 2], jpeg[(jpeg.Length / 2) + 1]) = ((byte)0xFF, (byte)0xD3); // a stray marker
        File.WriteAllBytes(path, jpeg);
        AssertFails(path, ImageDecodeFailure.Truncated);
    }

    [Fact]
    public void Damaged_large_jpeg_is_Truncated_when_decoded_coarse_for_faces()
    {
        using var temp = new TempDirectory();
        var path = temp.File("large.jpg");
        using (var original = SKBitmap.Decode(TestAssets.Sample(1)))
        using (var large = original.Resize(new SKImageInfo(3840, 2560), new SKSamplingOptions(SKFilterMode.Linear)))
        {
            TestImages.WriteJpeg(path, large);
        }

        using (var coarse = ImageLoader.LoadCoarse(path, 1600))
        {
            Assert.Equal((960, 640), (coarse.Bitmap.Width, coarse.Bitmap.Height));
            Assert.NotNull(coarse.Finer);
        }

        byte[] bytes = File.ReadAllBytes(path);
        (bytes[bytes.Length * 3 / 4], bytes[(bytes.Length * 3 / 4) + 1]) = ((byte)0xFF, (byte)0xD3); // a stray marker
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ImageDecodeException>(() => ImageLoader.LoadCoarse(path, 1600));
        Assert.Equal(ImageDecodeFailure.Truncated, e.Reason);
        Assert.Equal(path, e.Path);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(6, true)]
    [InlineData(8, true)]
    public void Finer_regions_of_an_oriented_large_jpeg_match_its_whole_decode(ushort orientation, bool swaps)
    {
        using var temp = new TempDirectory();
        var path = temp.File("large.jpg");
        int w = swaps ? 2560 : 3840, h = swaps ? 3840 : 2560;
        using (var original = SKBitmap.Decode(TestAssets.Sample(1)))
        using (var stored = original.Resize(new SKImageInfo(w, h), new SKSamplingOptions(SKFilterMode.Linear)))
        {
            TestImages.WriteJpegWithOrientation(path, stored, orientation, quality: 90);
        }

        using var whole = ImageLoader.Load(path, maxImageSize: 1920); // 1/2 scale, no resize
        using var coarse = ImageLoader.LoadCoarse(path, 1920);
        var finer = coarse.Finer!;

        Assert.Equal((whole.Bitmap.Width, whole.Bitmap.Height), (finer.Width, finer.Height));
        Assert.Equal(whole.Scale, finer.Scale);
        Assert.Equal(2 * coarse.Bitmap.Width, finer.Width);
        var region = new SKRectI(301, 455, 301 + 210, 455 + 170);
        using var pixels = finer.Decode(path, region);
        Assert.Equal((region.Width, region.Height), (pixels.Width, pixels.Height));
        double difference = 0;
        for (int y = 2; y < region.Height - 2; y++)
        {
            for (int x = 2; x < region.Width - 2; x++)
            {
                SKColor a = pixels.GetPixel(x, y), b = whole.Bitmap.GetPixel(region.Left + x, region.Top + y);
                difference += Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
            }
        }

        Assert.True(difference / ((region.Width - 4) * (region.Height - 4) * 3) < 1, $"mean difference {difference / ((region.Width - 4) * (region.Height - 4) * 3)}");
    }

    [Fact]
    public void Text_file_named_jpg_is_NotAnImage()
    {
        using var temp = new TempDirectory();
        var path = temp.File("notes.jpg");
        File.WriteAllText(path, "These are not the pixels you are looking for.\n");
        AssertFails(path, ImageDecodeFailure.NotAnImage);
    }

    public static TheoryData<string> PhoneFormats => new() { "heic", "avif", "tif" };

    [Theory]
    [MemberData(nameof(PhoneFormats))]
    public void Phone_format_is_decoded_and_reduced(string format)
    {
        using var temp = new TempDirectory();
        var path = temp.File("photo." + format);
        using (var bitmap = new SKBitmap(new SKImageInfo(1200, 800, SKColorType.Rgba8888, SKAlphaType.Premul)))
        {
            bitmap.Erase(SKColors.Red);
            using var canvas = new SKCanvas(bitmap);
            canvas.DrawRect(600, 0, 600, 800, new SKPaint { Color = SKColors.Blue });
            PhonePhotos.Write(path, bitmap, format);
        }

        using var image = ImageLoader.Load(path, maxImageSize: 600);

        Assert.Equal((1200, 800), (image.FullWidth, image.FullHeight));
        Assert.Equal((600, 400), (image.Bitmap.Width, image.Bitmap.Height));
        Assert.Equal(0.5f, image.Scale);
        AssertNear(SKColors.Red, image.Bitmap.GetPixel(100, 200));
        AssertNear(SKColors.Blue, image.Bitmap.GetPixel(500, 200));
    }

    [Theory]
    [MemberData(nameof(PhoneFormats))]
    public void Phone_format_cut_in_half_or_in_its_header_is_Truncated(string format)
    {
        using var temp = new TempDirectory();
        var whole = temp.File("whole." + format);
        using (var sample = SKBitmap.Decode(TestAssets.Sample(1)))
        {
            PhonePhotos.Write(whole, sample, format);
        }

        var bytes = File.ReadAllBytes(whole);
        foreach (int length in new[] { bytes.Length / 2, 40 })
        {
            var path = temp.File($"cut{length}.{format}");
            File.WriteAllBytes(path, bytes[..length]);

            var e = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(path));

            Assert.Equal(ImageDecodeFailure.Truncated, e.Reason);
            Assert.Contains(format == "tif" ? "TIFF" : format == "avif" ? "AVIF" : "HEIF", e.Message);
        }
    }

    [Fact]
    public void Tiff_claiming_60000x60000_pixels_is_TooLarge_at_once()
    {
        using var temp = new TempDirectory();
        var path = temp.File("claims-huge.tif");
        // Little-endian TIFF, one IFD: 60000x60000 8-bit grey whose single strip holds one byte.
        File.WriteAllBytes(path,
        [
            (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0,
            6, 0,
            0x00, 0x01, 4, 0, 1, 0, 0, 0, 0x60, 0xEA, 0, 0, // ImageWidth 60000
            0x01, 0x01, 4, 0, 1, 0, 0, 0, 0x60, 0xEA, 0, 0, // ImageLength 60000
            0x02, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0, // BitsPerSample 8
            0x06, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, // PhotometricInterpretation BlackIsZero
            0x11, 0x01, 4, 0, 1, 0, 0, 0, 86, 0, 0, 0, // StripOffsets 86
            0x17, 0x01, 4, 0, 1, 0, 0, 0, 1, 0, 0, 0, // StripByteCounts 1
            0, 0, 0, 0, 0x80,
        ]);
        var watch = Stopwatch.StartNew();

        AssertFails(path, ImageDecodeFailure.TooLarge);

        Assert.True(watch.ElapsedMilliseconds < 5000, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("isom", "isom iso2 avc1 mp41", ImageDecodeFailure.NotAnImage, "MP4 video")]
    [InlineData("qt  ", "qt  ", ImageDecodeFailure.NotAnImage, "QuickTime movie")]
    [InlineData("3gp4", "3gp4 isom", ImageDecodeFailure.NotAnImage, "3GPP video")]
    [InlineData("heic", "mif1 heic", ImageDecodeFailure.Truncated, "HEIF")]
    [InlineData("mif1", "mif1 avif", ImageDecodeFailure.Truncated, "AVIF")]
    [InlineData("avif", "avif mif1 miaf", ImageDecodeFailure.Truncated, "AVIF")]
    public void Iso_media_files_are_named_by_their_brand(string major, string compatible, ImageDecodeFailure reason, string named)
    {
        using var temp = new TempDirectory();
        var path = temp.File("clip.bin");
        File.WriteAllBytes(path, TestImages.IsoMediaFile(major, compatible.Split(' ').Select(b => b.PadRight(4)).ToArray()));

        var e = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(path));

        Assert.Equal(reason, e.Reason);
        Assert.Contains(named, e.Message);
        Assert.DoesNotContain(reason == ImageDecodeFailure.NotAnImage ? "HEIF" : "video", e.Message);
    }

    [Theory]
    [InlineData(ColorSpace.CMYK)]
    [InlineData(ColorSpace.Gray)]
    public void Cmyk_and_grey_jpegs_are_read_as_rgb(ColorSpace colorSpace)
    {
        using var temp = new TempDirectory();
        var path = temp.File("print.jpg");
        using (var image = new MagickImage(new MagickColor(64, 128, 192), 64, 48))
        {
            image.ColorSpace = colorSpace;
            image.Quality = 95;
            image.Write(path, MagickFormat.Jpeg);
        }

        Assert.Equal(colorSpace, new MagickImageInfo(path).ColorSpace);
        using var loaded = ImageLoader.Load(path);

        var pixel = loaded.Bitmap.GetPixel(30, 20);
        if (colorSpace == ColorSpace.CMYK)
        {
            AssertNear(new SKColor(64, 128, 192), pixel);
        }
        else
        {
            Assert.True(pixel.Red == pixel.Green && pixel.Green == pixel.Blue && pixel.Red is > 100 and < 135, pixel.ToString());
        }
    }

    [Fact]
    public void Bmp_is_accepted()
    {
        using var temp = new TempDirectory();
        var path = temp.File("tiny.bmp");
        // 2x1 24-bit BMP: a red and a blue pixel (BGR order, rows padded to 4 bytes).
        byte[] header = [(byte)'B', (byte)'M', 62, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0x13, 0x0B, 0, 0, 0x13, 0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        File.WriteAllBytes(path, [.. header, 0, 0, 255, 255, 0, 0, 0, 0]);

        using var image = ImageLoader.Load(path);

        Assert.Equal(2, image.Bitmap.Width);
        Assert.Equal(new SKColor(255, 0, 0), image.Bitmap.GetPixel(0, 0));
    }

    [Fact]
    public void Png_within_the_budget_is_decoded_and_reduced()
    {
        using var temp = new TempDirectory();
        var path = temp.File("big.png");
        TestImages.WriteBlackPng(path, 4000, 2000);

        using var image = ImageLoader.Load(path, maxImageSize: 1000);

        Assert.Equal((1000, 500), (image.Bitmap.Width, image.Bitmap.Height));
        Assert.Equal((4000, 2000), (image.FullWidth, image.FullHeight));
        Assert.Equal(0.25f, image.Scale);
    }

    [Fact]
    public void Large_jpeg_is_decoded_at_a_reduced_scale()
    {
        using var temp = new TempDirectory();
        var path = temp.File("large.jpg");
        TestImages.WriteSolidJpeg(path, 4800, 3200, SKColors.CornflowerBlue);

        using var image = ImageLoader.Load(path, maxImageSize: 1600);

        Assert.Equal((1600, 1067), (image.Bitmap.Width, image.Bitmap.Height));
        Assert.Equal((4800, 3200), (image.FullWidth, image.FullHeight));
        Assert.Equal(1600f / 4800f, image.Scale, 1e-3);
    }

    [Fact]
    public void Missing_file_is_Unreadable()
    {
        using var temp = new TempDirectory();
        AssertFails(temp.File("nowhere.jpg"), ImageDecodeFailure.Unreadable);
    }

    [Fact]
    public void A_photo_another_program_holds_open_for_writing_is_read()
    {
        // A sync client writing the file shares it for reading and writing; on Windows a reader that allows
        // only reading is refused. (Unix does not enforce share modes, so there this passed before the fix too.)
        using var temp = new TempDirectory();
        var path = temp.File("syncing.jpg");
        File.Copy(TestAssets.Sample(1), path);
        using var writer = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

        using var image = ImageLoader.Load(path);

        Assert.Equal(1920, image.FullWidth);
    }

    [Fact]
    public void Odd_file_names_simply_work()
    {
        using var temp = new TempDirectory();
        var path = temp.File("Ünïcödé [1] (copy) * ? 名前 .jpg");
        File.Copy(TestAssets.Sample(1), path);

        using var image = ImageLoader.Load(path);

        Assert.Equal((1920, 1280), (image.FullWidth, image.FullHeight));
    }

    /// <summary>EXIF orientations and whether each swaps width and height.</summary>
    public static TheoryData<ushort, bool> Orientations => new()
    {
        { 1, false }, { 3, false }, { 6, true }, { 8, true }, { 2, false }, { 5, true },
    };

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Exif_orientation_is_applied(ushort orientation, bool swaps) => AssertOrientationApplied(orientation, swaps, png: false);

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Png_eXIf_orientation_is_applied(ushort orientation, bool swaps) => AssertOrientationApplied(orientation, swaps, png: true);

    private static void AssertOrientationApplied(ushort orientation, bool swaps, bool png)
    {
        // Upright: 60x40, red left half, blue right half, a green square near the top-left corner.
        using var upright = new SKBitmap(new SKImageInfo(60, 40, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(upright))
        {
            canvas.Clear(SKColors.Red);
            canvas.DrawRect(30, 0, 30, 40, new SKPaint { Color = SKColors.Blue });
            canvas.DrawRect(0, 0, 12, 12, new SKPaint { Color = SKColors.Lime });
        }

        // Store it the way a camera would for that orientation, i.e. the inverse of the display transform.
        var display = DisplayMatrix(orientation, swaps ? 40 : 60, swaps ? 60 : 40);
        Assert.True(display.TryInvert(out var store));
        using var stored = TestImages.Transform(upright, store, swaps ? 40 : 60, swaps ? 60 : 40);
        using var temp = new TempDirectory();
        var path = temp.File($"oriented{orientation}.{(png ? "png" : "jpg")}");
        if (png)
        {
            TestImages.WritePngWithOrientation(path, stored, orientation);
        }
        else
        {
            TestImages.WriteJpegWithOrientation(path, stored, orientation);
        }

        using var image = ImageLoader.Load(path);

        Assert.Equal((60, 40), (image.FullWidth, image.FullHeight));
        Assert.Equal((60, 40), (image.Bitmap.Width, image.Bitmap.Height));
        AssertNear(SKColors.Lime, image.Bitmap.GetPixel(4, 4));
        AssertNear(SKColors.Red, image.Bitmap.GetPixel(20, 30));
        AssertNear(SKColors.Blue, image.Bitmap.GetPixel(50, 20));
    }

    /// <summary>Skia's mapping from stored pixels (w x h) to the upright image.</summary>
    private static SKMatrix DisplayMatrix(ushort orientation, float w, float h) => orientation switch
    {
        1 => SKMatrix.Identity,
        2 => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        3 => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        4 => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        5 => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        6 => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        7 => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        _ => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
    };

    private static void AssertNear(SKColor expected, SKColor actual)
    {
        Assert.True(Math.Abs(expected.Red - actual.Red) < 40 && Math.Abs(expected.Green - actual.Green) < 40 && Math.Abs(expected.Blue - actual.Blue) < 40,
            $"expected {expected}, got {actual}");
    }

    internal static ImageDecodeException AssertFails(string path, ImageDecodeFailure reason)
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(path));
        Assert.Equal(reason, e.Reason);
        Assert.Equal(path, e.Path);
        return e;
    }
}
