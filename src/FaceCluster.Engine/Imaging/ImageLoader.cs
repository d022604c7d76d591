using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// Decodes image files into upright RGBA bitmaps no larger than a given size, reading the dimensions first so that a
/// huge image is decoded at a reduced scale (JPEG, WebP) or refused (<see cref="ImageDecodeFailure.TooLarge"/>) without
/// allocating its pixels. Accepts, each identified by its leading bytes and given only to a decoder tried with hostile
/// files of it: through SkiaSharp JPEG (whose pixels <see cref="JpegDecoder"/> decodes, finding damage on the way), PNG,
/// GIF (first frame), BMP, WebP; ICO and CUR, whose largest image <see cref="IconImage"/> takes out as a PNG or BMP;
/// and through <see cref="MagickImageDecoder"/> the phone and camera formats SkiaSharp cannot: HEIF/HEIC, AVIF, TIFF
/// (first page).
/// </summary>
public static class ImageLoader
{
    /// <summary>Most pixels we agree to decode at once (100 megapixels = 400 MB of RGBA).</summary>
    public const long DefaultPixelBudget = 100_000_000;

    /// <summary>The smallest scale libjpeg-turbo decodes at.</summary>
    private const float SmallestJpegScale = 0.125f;

    /// <summary>Largest file we read into memory.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Loads <paramref name="path"/> upright (EXIF orientation applied: JPEG, WebP, TIFF, PNG's eXIf chunk; HEIF and AVIF
    /// rotation and mirroring), with its longest side at most
    /// <paramref name="maxImageSize"/> pixels.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file is empty, unreadable, not an image, damaged, unsupported or too large.</exception>
    public static LoadedImage Load(string path, int maxImageSize = 1600, long pixelBudget = DefaultPixelBudget) =>
        Load(path, maxImageSize, pixelBudget, coarse: false);

    /// <summary>
    /// As <see cref="Load(string, int, long)"/>, except that a JPEG which that decodes at a reduced DCT scale (one at least
    /// twice <paramref name="maxImageSize"/>: 4032x3024 at 1/2 for 1600) is decoded at half that scale and not resized,
    /// and <see cref="LoadedImage.Finer"/> decodes regions of it at that scale: enough to find the faces, and the pixels
    /// of the small ones where they are needed.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file is empty, unreadable, not an image, damaged, unsupported or too large.</exception>
    internal static LoadedImage LoadCoarse(string path, int maxImageSize, long pixelBudget = DefaultPixelBudget) =>
        Load(path, maxImageSize, pixelBudget, coarse: true);

    private static LoadedImage Load(string path, int maxImageSize, long pixelBudget, bool coarse)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxImageSize, 16);
        var bytes = ImageFileReader.Read(path, MaxFileBytes);
        var format = ImageFormatSniffer.Identify(bytes);
        if (format is "ICO" or "CUR")
        {
            bytes = IconImage.Extract(path, bytes);
            format = ImageFormatSniffer.Identify(bytes);
        }

        if (format is not null && MagickImageDecoder.Reads(format))
        {
            return MagickImageDecoder.Load(path, bytes, format, maxImageSize, pixelBudget);
        }

        bool png = format == "PNG";
        using var codec = OpenSkiaCodec(path, png ? PngMetadata.WithoutMetadata(bytes) : bytes, format);

        var encoded = codec.Info;
        bool jpeg = codec.EncodedFormat == SKEncodedImageFormat.Jpeg;
        if (jpeg)
        {
            RefuseImpossibleJpegSize(path, bytes, encoded);
        }

        var origin = png ? PngMetadata.Orientation(bytes) : codec.EncodedOrigin;
        float scale = ChooseDecodeScale(codec, maxImageSize);
        var size = scale == 1 ? encoded.Size : codec.GetScaledDimensions(scale);
        if ((long)size.Width * size.Height > pixelBudget)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge,
                $"Image of {encoded.Width}x{encoded.Height} pixels exceeds the budget of {pixelBudget / 1_000_000} megapixels");
        }

        if (png)
        {
            RefuseImpossiblePngSize(path, bytes, encoded);
        }

        JpegRegionDecoder? finer = null;
        if (coarse && jpeg && scale < 1 && scale / 2 >= SmallestJpegScale)
        {
            finer = new JpegRegionDecoder(bytes, origin, size, encoded.Size);
            size = codec.GetScaledDimensions(scale / 2);
        }

        var bitmap = jpeg ? JpegDecoder.Decode(path, bytes, size) : Decode(path, codec, size);
        try
        {
            if (finer is null)
            {
                bitmap = ShrinkTo(bitmap, maxImageSize);
            }

            bitmap = Orient(bitmap, origin);
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }

        bitmap.SetImmutable(); // lets SKImage.FromBitmap share the pixels instead of copying them
        bool swaps = SwapsAxes(origin);
        return new LoadedImage(bitmap, swaps ? encoded.Height : encoded.Width, swaps ? encoded.Width : encoded.Height, finer);
    }

    /// <summary>
    /// A SkiaSharp codec for <paramref name="bytes"/>, only when they are one of the formats it is given
    /// (<see cref="ImageFormatSniffer.IsDecodable"/>) and its codec agrees on which: SkiaSharp never sees a format whose
    /// codec has not been tried with hostile files here (HostileImageFuzzTests).
    /// </summary>
    private static SKCodec OpenSkiaCodec(string path, byte[] bytes, string? format)
    {
        if (format is null || !ImageFormatSniffer.IsDecodable(format))
        {
            throw CodecCreateFailure(path, bytes, format, SKCodecResult.Unimplemented);
        }

        var codec = SKCodec.Create(new MemoryStream(bytes, writable: false), out var createResult)
            ?? throw CodecCreateFailure(path, bytes, format, createResult);
        if (!string.Equals(codec.EncodedFormat.ToString(), format, StringComparison.OrdinalIgnoreCase))
        {
            codec.Dispose();
            throw new ImageDecodeException(path, ImageDecodeFailure.Truncated, $"Image starts like {format} but decodes as {codec.EncodedFormat}");
        }

        return codec;
    }

    private static ImageDecodeException CodecCreateFailure(string path, byte[] bytes, string? format, SKCodecResult result)
    {
        if (result == SKCodecResult.IncompleteInput || (format is not null && ImageFormatSniffer.IsDecodable(format)))
        {
            return new ImageDecodeException(path, ImageDecodeFailure.Truncated, $"Image header is incomplete or damaged ({format ?? "unknown format"}, {result})");
        }

        return format is null
            ? new ImageDecodeException(path, ImageDecodeFailure.NotAnImage,
                ImageFormatSniffer.IdentifyNonImage(bytes) is { } other ? $"File is {other}, not an image" : "File is not an image")
            : new ImageDecodeException(path, ImageDecodeFailure.UnsupportedFormat, $"{format} images are not supported");
    }

    /// <summary>
    /// Refuses, before any pixel is decoded, a JPEG whose header claims more pixels than its data can hold, as
    /// <see cref="ImageDecodeFailure.Truncated"/>: the data the header promises is missing. (Damage inside the data is
    /// found while decoding, by <see cref="JpegDecoder"/>.)
    /// </summary>
    /// <remarks>
    /// The floor: every 8x8 block of the image costs at least one bit, since a Huffman code (baseline or progressive) is
    /// at least one bit long and each block codes its DC difference. With the standard tables a flat block costs 6 bits; real
    /// photos cost 1 to 4 bits a pixel, 64 to 256 a block. Arithmetic-coded JPEG (rare) could go lower only for nearly
    /// flat synthetic images. Without the floor, a 7.8 KB file claiming 60000x60000 pixels was decoded for 8 s.
    /// </remarks>
    private static void RefuseImpossibleJpegSize(string path, byte[] bytes, SKImageInfo encoded)
    {
        long blocks = ((encoded.Width + 7L) / 8) * ((encoded.Height + 7L) / 8);
        long floorBytes = blocks / 8;
        if (bytes.Length < floorBytes)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Truncated,
                $"JPEG header claims {encoded.Width}x{encoded.Height} pixels, which need at least {floorBytes} bytes of data; the file has {bytes.Length}");
        }
    }

    /// <summary>
    /// Refuses, before its pixels are allocated, a PNG whose compressed data is too small for the size its header
    /// claims, as <see cref="ImageDecodeFailure.Truncated"/>: deflate packs at most 1032 bytes into one (a 258-byte
    /// match costs at least two bits). Without it, the 90-byte icon of issue 19 (a PNG claiming 5000x5000) had
    /// 100 MB of pixels allocated and decoded.
    /// </summary>
    private static void RefuseImpossiblePngSize(string path, byte[] png, SKImageInfo encoded)
    {
        long floorBytes = (long)encoded.Width * encoded.Height * PngMetadata.BitsPerPixel(png) / 8 / 1032;
        long dataBytes = PngMetadata.ImageDataBytes(png);
        if (dataBytes < floorBytes)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Truncated,
                $"PNG header claims {encoded.Width}x{encoded.Height} pixels, which need at least {floorBytes} bytes of data; the file has {dataBytes}");
        }
    }

    /// <summary>
    /// The smallest scale the codec can decode at natively (1/8, 1/4, 1/2 for JPEG and WebP) whose longest side still
    /// reaches maxImageSize; 1 when there is none.
    /// </summary>
    private static float ChooseDecodeScale(SKCodec codec, int maxImageSize)
    {
        var full = codec.Info.Size;
        if (Math.Max(full.Width, full.Height) <= maxImageSize)
        {
            return 1;
        }

        foreach (var scale in new[] { SmallestJpegScale, 0.25f, 0.5f })
        {
            var scaled = codec.GetScaledDimensions(scale);
            if (Math.Max(scaled.Width, scaled.Height) >= maxImageSize && scaled.Width > 0 && scaled.Height > 0 && scaled != full)
            {
                return scale;
            }
        }

        return 1;
    }

    private static SKBitmap Decode(string path, SKCodec codec, SKSizeI size)
    {
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            bitmap.Dispose();
            throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge, $"Cannot allocate {size.Width}x{size.Height} pixels");
        }

        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.Success)
        {
            return bitmap;
        }

        bitmap.Dispose();
        var reason = result switch
        {
            SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => ImageDecodeFailure.Truncated,
            _ => ImageDecodeFailure.UnsupportedFormat,
        };
        throw new ImageDecodeException(path, reason, $"Image data cannot be decoded ({result})");
    }

    private static SKBitmap ShrinkTo(SKBitmap bitmap, int maxImageSize)
    {
        int longest = Math.Max(bitmap.Width, bitmap.Height);
        if (longest <= maxImageSize)
        {
            return bitmap;
        }

        double f = (double)maxImageSize / longest;
        var info = new SKImageInfo(
            Math.Max(1, (int)Math.Round(bitmap.Width * f)), Math.Max(1, (int)Math.Round(bitmap.Height * f)),
            SKColorType.Rgba8888, SKAlphaType.Premul);
        // Plain bilinear does not alias below a 2x reduction and is several times faster than building mipmaps.
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, f >= 0.5 ? SKMipmapMode.None : SKMipmapMode.Linear);
        var resized = bitmap.Resize(info, sampling)
            ?? throw new InvalidOperationException("SkiaSharp could not resize the image.");
        bitmap.Dispose();
        return resized;
    }

    internal static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>Maps a stored image of <paramref name="w"/> x <paramref name="h"/> pixels onto the upright one.</summary>
    internal static SKMatrix StoredToUpright(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    /// <summary>Redraws the stored pixels the way the EXIF orientation says they should be shown.</summary>
    internal static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || (int)origin == 0)
        {
            return bitmap;
        }

        var m = StoredToUpright(origin, bitmap.Width, bitmap.Height);
        bool swaps = SwapsAxes(origin);
        var upright = new SKBitmap(new SKImageInfo(swaps ? bitmap.Height : bitmap.Width, swaps ? bitmap.Width : bitmap.Height,
            SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(upright))
        using (var image = SKImage.FromBitmap(bitmap))
        {
            canvas.SetMatrix(m);
            canvas.DrawImage(image, 0, 0);
        }

        bitmap.Dispose();
        return upright;
    }
}
