using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// Decodes rectangles of an upright JPEG at one reduced DCT scale with SkiaSharp's scanline decoder: libjpeg-turbo
/// entropy-decodes the rows down to the rectangle's bottom but transforms only the blocks of the rectangle's columns
/// and rows (jpeg_skip_scanlines, jpeg_crop_scanline). The file was already checked for damage by the decode that
/// came first (<see cref="JpegDecoder"/>).
/// </summary>
internal sealed class JpegRegionDecoder
{
    private readonly byte[] _jpeg;
    private readonly SKEncodedOrigin _origin;
    private readonly SKSizeI _stored;
    private readonly SKMatrix _uprightToStored;

    /// <param name="jpeg">The whole file.</param>
    /// <param name="origin">Its EXIF orientation.</param>
    /// <param name="stored">Its stored (not yet oriented) size at the scale to decode at, as <see cref="SKCodec.GetScaledDimensions"/> gives it.</param>
    /// <param name="encoded">Its stored size at full resolution.</param>
    public JpegRegionDecoder(byte[] jpeg, SKEncodedOrigin origin, SKSizeI stored, SKSizeI encoded)
    {
        _jpeg = jpeg;
        _origin = origin;
        _stored = stored;
        bool swaps = ImageLoader.SwapsAxes(origin);
        Width = swaps ? stored.Height : stored.Width;
        Height = swaps ? stored.Width : stored.Height;
        Scale = (float)stored.Width / encoded.Width;
        _uprightToStored = ImageLoader.StoredToUpright(origin, stored.Width, stored.Height).Invert();
    }

    /// <summary>Width of the upright image at this scale.</summary>
    public int Width { get; }

    /// <summary>Height of the upright image at this scale.</summary>
    public int Height { get; }

    /// <summary>Pixels at this scale per full-resolution pixel.</summary>
    public float Scale { get; }

    /// <summary>The upright pixels of <paramref name="upright"/> (in pixels of the upright image at this scale, inside it), RGBA.</summary>
    /// <exception cref="ImageDecodeException">The data cannot be decoded.</exception>
    public SKBitmap Decode(string path, SKRectI upright)
    {
        if (!SKRectI.Create(Width, Height).Contains(upright) || upright.IsEmpty)
        {
            throw new ArgumentOutOfRangeException(nameof(upright), upright, $"Must be inside {Width}x{Height}.");
        }

        var stored = SKRectI.Round(_uprightToStored.MapRect(upright));
        using var codec = SKCodec.Create(new MemoryStream(_jpeg, writable: false))
            ?? throw new ImageDecodeException(path, ImageDecodeFailure.Truncated, "JPEG header cannot be read again");
        var info = new SKImageInfo(_stored.Width, _stored.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        // The scanline decoder takes a subset of columns only; rows are skipped.
        var result = codec.StartScanlineDecode(info, new SKCodecOptions(new SKRectI(stored.Left, 0, stored.Right, _stored.Height)));
        var bitmap = new SKBitmap(new SKImageInfo(stored.Width, stored.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        if (result != SKCodecResult.Success || !codec.SkipScanlines(stored.Top)
            || codec.GetScanlines(bitmap.GetPixels(), stored.Height, bitmap.RowBytes) != stored.Height)
        {
            bitmap.Dispose();
            throw new ImageDecodeException(path, ImageDecodeFailure.Truncated, $"JPEG data cannot be decoded ({result})");
        }

        try
        {
            return ImageLoader.Orient(bitmap, _origin);
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }
}
