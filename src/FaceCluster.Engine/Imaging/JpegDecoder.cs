using ImageMagick;
using ImageMagick.Formats;
using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// Decodes a JPEG at a reduced DCT scale and refuses one whose compressed data is damaged, in one native decode:
/// Magick.NET's libjpeg-turbo, whose warnings (a bad Huffman code, a stray marker, missing data) ImageMagick passes on
/// as CorruptImageWarning, which Magick.NET raises as <see cref="MagickImage.Warning"/>, the first one with the others
/// related to it. SkiaSharp's libjpeg-turbo meets the same damage with a warning it keeps to itself, fills in the
/// rest and reports success, so it cannot tell.
/// </summary>
internal static class JpegDecoder
{
    // libjpeg-turbo's texts of the warnings that mean the image data is corrupt (jerror.h: JWRN_ARITH_BAD_CODE,
    // JWRN_BOGUS_PROGRESSION, JWRN_HIT_MARKER, JWRN_HUFF_BAD_CODE, JWRN_JPEG_EOF, JWRN_MUST_RESYNC,
    // JWRN_NOT_SEQUENTIAL, JWRN_TOO_MUCH_DATA), up to their first parameter. The others do not: an unknown JFIF
    // revision or Adobe transform, a bad ICC marker, and "extraneous bytes before marker", which many cameras and
    // editors write after complete image data (a photo that decodes whole must not be reported as damaged).
    private static readonly string[] DamagePrefixes =
    [
        "Corrupt JPEG data: bad arithmetic code", "Inconsistent progression sequence for component ",
        "Corrupt JPEG data: premature end of data segment", "Corrupt JPEG data: bad Huffman code",
        "Premature end of JPEG file", "Corrupt JPEG data: found marker 0x", "Invalid SOS parameters for sequential JPEG",
        "Application transferred too many scanlines",
    ];

    /// <summary>
    /// <paramref name="jpeg"/> decoded at the smallest DCT scale whose size reaches <paramref name="size"/> (a size
    /// <see cref="SKCodec.GetScaledDimensions"/> gives, so exactly that size), RGBA.
    /// </summary>
    /// <exception cref="ImageDecodeException">The data is damaged or cannot be decoded.</exception>
    public static SKBitmap Decode(string path, byte[] jpeg, SKSizeI size)
    {
        string? damage = null;
        using var image = new MagickImage();
        image.Warning += (_, e) => damage ??= FirstDamage(e.Exception);
        var settings = new MagickReadSettings { Format = MagickFormat.Jpeg };
        settings.SetDefines(new JpegReadDefines { Size = new MagickGeometry((uint)size.Width, (uint)size.Height) });
        try
        {
            image.Read(jpeg, settings);
        }
        catch (MagickResourceLimitErrorException e)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge, $"JPEG image is too large to decode ({LibJpegText(e)})", e);
        }
        catch (MagickException e)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Truncated, $"JPEG data cannot be decoded ({LibJpegText(e)})", e);
        }

        if (damage is not null)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Truncated, $"JPEG data is damaged ({damage})");
        }

        if (image.ColorSpace is not (ColorSpace.sRGB or ColorSpace.Gray))
        {
            image.ColorSpace = ColorSpace.sRGB; // CMYK and YCCK JPEGs (print workflows)
        }

        return MagickImageDecoder.ToBitmap(image);
    }

    private static string? FirstDamage(MagickException warning) =>
        new[] { warning }.Concat(warning.RelatedExceptions).Select(LibJpegText)
            .FirstOrDefault(text => DamagePrefixes.Any(prefix => text.StartsWith(prefix, StringComparison.Ordinal)));

    /// <summary>The message without what ImageMagick appends: the file name in quotes and where it was thrown.</summary>
    private static string LibJpegText(MagickException e)
    {
        int appended = e.Message.IndexOf(" `", StringComparison.Ordinal);
        return appended < 0 ? e.Message : e.Message[..appended];
    }
}
