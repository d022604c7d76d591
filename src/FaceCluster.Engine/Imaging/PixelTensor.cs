using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>Copies an RGBA bitmap into the float layouts the networks take.</summary>
internal static class PixelTensor
{
    /// <summary>Planar CHW, value = (p - mean) / scale, channel order R,G,B (or B,G,R when <paramref name="bgr"/>).</summary>
    public static void FillChw(SKBitmap bitmap, Span<float> destination, float mean, float scale, bool bgr = false) =>
        FillChw(bitmap, destination, mean, mean, mean, scale, bgr);

    /// <summary>Planar CHW with a mean per colour, value = (p - mean[colour]) / scale.</summary>
    public static void FillChw(SKBitmap bitmap, Span<float> destination, float meanR, float meanG, float meanB, float scale, bool bgr = false) =>
        FillChw(bitmap, destination, meanR, meanG, meanB, scale, scale, scale, bgr);

    /// <summary>Planar CHW with a mean and a scale per colour, value = (p - mean[colour]) / scale[colour].</summary>
    public static void FillChw(SKBitmap bitmap, Span<float> destination, float meanR, float meanG, float meanB,
        float scaleR, float scaleG, float scaleB, bool bgr = false)
    {
        var pixels = bitmap.GetPixelSpan();
        int plane = bitmap.Width * bitmap.Height;
        if (destination.Length < plane * 3 || pixels.Length < plane * 4 || bitmap.ColorType != SKColorType.Rgba8888)
        {
            throw new ArgumentException("Bitmap and tensor sizes do not agree, or the bitmap is not RGBA 8888.");
        }

        var first = destination[..plane];
        var second = destination.Slice(plane, plane);
        var third = destination.Slice(plane * 2, plane);
        var r = bgr ? third : first;
        var b = bgr ? first : third;
        float invR = 1f / scaleR, invG = 1f / scaleG, invB = 1f / scaleB;
        for (int i = 0, p = 0; i < plane; i++, p += 4)
        {
            r[i] = (pixels[p] - meanR) * invR;
            second[i] = (pixels[p + 1] - meanG) * invG;
            b[i] = (pixels[p + 2] - meanB) * invB;
        }
    }

    /// <summary>One plane of luminance (ITU-R BT.601), value = Y / scale.</summary>
    public static void FillGray(SKBitmap bitmap, Span<float> destination, float scale)
    {
        var pixels = bitmap.GetPixelSpan();
        int plane = bitmap.Width * bitmap.Height;
        if (destination.Length < plane || pixels.Length < plane * 4 || bitmap.ColorType != SKColorType.Rgba8888)
        {
            throw new ArgumentException("Bitmap and tensor sizes do not agree, or the bitmap is not RGBA 8888.");
        }

        float inv = 1f / scale;
        for (int i = 0, p = 0; i < plane; i++, p += 4)
        {
            destination[i] = (0.299f * pixels[p] + 0.587f * pixels[p + 1] + 0.114f * pixels[p + 2]) * inv;
        }
    }
}
