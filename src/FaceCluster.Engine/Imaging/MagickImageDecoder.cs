using ImageMagick;
using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// Decodes the photo formats SkiaSharp cannot read (HEIF/HEIC, AVIF, TIFF) with Magick.NET (ImageMagick with libheif,
/// libde265, libaom and libtiff), upright: libheif applies HEIF's rotation and mirror properties, and EXIF orientation
/// (TIFF) is applied by ImageMagick's AutoOrient.
/// </summary>
internal static class MagickImageDecoder
{
    /// <summary>True for the formats (as <see cref="ImageFormatSniffer.Identify"/> names them) this decoder reads.</summary>
    public static bool Reads(string format) => format is "HEIF" or "AVIF" or "TIFF";

    /// <summary>Decodes the first image of <paramref name="bytes"/>, reduced so its longest side is at most <paramref name="maxImageSize"/>.</summary>
    /// <exception cref="ImageDecodeException">The data is damaged, unsupported or too large.</exception>
    public static LoadedImage Load(string path, byte[] bytes, string format, int maxImageSize, long pixelBudget)
    {
        // The first frame only: a multi-page TIFF or a HEIF burst is one photo here, as a GIF is.
        var settings = new MagickReadSettings { Format = MagickFormatOf(format), FrameIndex = 0, FrameCount = 1 };
        try
        {
            // Dimensions first (no pixels): these formats decode only at full size, so the budget applies to it.
            var info = new MagickImageInfo(bytes, settings);
            if ((long)info.Width * info.Height > pixelBudget)
            {
                throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge,
                    $"Image of {info.Width}x{info.Height} pixels exceeds the budget of {pixelBudget / 1_000_000} megapixels");
            }

            using var image = new MagickImage(bytes, settings);
            image.AutoOrient();
            int fullWidth = (int)image.Width, fullHeight = (int)image.Height;
            if (Math.Max(fullWidth, fullHeight) > maxImageSize)
            {
                double f = (double)maxImageSize / Math.Max(fullWidth, fullHeight);
                image.Resize(new MagickGeometry(
                    (uint)Math.Max(1, Math.Round(fullWidth * f)), (uint)Math.Max(1, Math.Round(fullHeight * f))) { IgnoreAspectRatio = true });
            }

            // Opaque RGBA, so premultiplied and straight alpha agree.
            image.BackgroundColor = MagickColors.White;
            image.Alpha(AlphaAction.Remove);
            return new LoadedImage(ToBitmap(image), fullWidth, fullHeight);
        }
        catch (MagickMissingDelegateErrorException e)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.UnsupportedFormat, $"{format} image cannot be decoded here ({e.Message})", e);
        }
        catch (MagickResourceLimitErrorException e)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge, $"{format} image is too large to decode ({e.Message})", e);
        }
        catch (MagickException e)
        {
            // Corrupt or cut-off data: libheif and libtiff report both as errors of the data.
            throw new ImageDecodeException(path, ImageDecodeFailure.Truncated, $"{format} image data is incomplete or damaged ({e.Message})", e);
        }
    }

    private static MagickFormat MagickFormatOf(string format) => format switch
    {
        "HEIF" => MagickFormat.Heic,
        "AVIF" => MagickFormat.Avif,
        _ => MagickFormat.Tiff,
    };

    /// <summary>
    /// <paramref name="image"/>'s pixels as an opaque RGBA bitmap. 8-bit RGB (a JPEG's, or an opaque photo's) is copied by
    /// hand: Magick.NET's own export (<c>ToByteArray(PixelMapping.RGBA)</c>), used for every other layout, builds a managed
    /// copy first and was the slower of the two at 2016x1512.
    /// </summary>
    internal static unsafe SKBitmap ToBitmap(MagickImage image)
    {
        int width = (int)image.Width, height = (int)image.Height;
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var pixels = image.GetPixelsUnsafe();
        if (image.ChannelCount == 3 && image.ColorSpace == ColorSpace.sRGB)
        {
            byte* source = (byte*)pixels.GetAreaPointer(0, 0, (uint)width, (uint)height);
            uint* target = (uint*)bitmap.GetPixels();
            for (long i = 0, count = (long)width * height; i < count; i++, source += 3)
            {
                target[i] = source[0] | ((uint)source[1] << 8) | ((uint)source[2] << 16) | 0xFF000000u;
            }

            return bitmap;
        }

        byte[] rgba = pixels.ToByteArray(PixelMapping.RGBA)
            ?? throw new InvalidOperationException("Magick.NET returned no pixels.");
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }
}
