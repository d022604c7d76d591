using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// TensorFlow's <c>resizeBilinear(image, size, alignCorners: false, halfPixelCenters: false)</c>, the resize face-api
/// and the TensorFlow Object Detection API feed their SSD detectors with: output pixel (x, y) samples source point
/// (x * in / out, y * in / out), no half-pixel shift and no smoothing when shrinking. Skia's filtered sampling differs
/// from it by a fraction of a pixel and by its mipmaps, enough to move the detector's boxes by several pixels.
/// </summary>
internal static class LegacyBilinearResize
{
    /// <summary>
    /// The image padded with black at the bottom or right to a square (face-api's <c>padToSquare</c>), resized to
    /// <paramref name="size"/> x <paramref name="size"/> as above, into planar RGB CHW with value = pixel / divisor + offset.
    /// </summary>
    public static void FillPaddedSquareChw(SKImage image, int size, Span<float> destination, float divisor, float offset)
    {
        using SKPixmap pixmap = image.PeekPixels() ?? throw new ArgumentException("The image has no raster pixels.", nameof(image));
        if (pixmap.ColorType != SKColorType.Rgba8888 || destination.Length < 3 * size * size)
        {
            throw new ArgumentException("The image is not RGBA 8888, or the tensor is too small.");
        }

        ReadOnlySpan<byte> pixels = pixmap.GetPixelSpan();
        int width = pixmap.Width;
        int height = pixmap.Height;
        int rowBytes = pixmap.RowBytes;
        int side = Math.Max(width, height);
        float scale = side / (float)size;
        int plane = size * size;

        Span<int> x0 = stackalloc int[size];
        Span<int> x1 = stackalloc int[size];
        Span<float> xLerp = stackalloc float[size];
        for (int x = 0; x < size; x++)
        {
            float source = x * scale;
            x0[x] = (int)MathF.Floor(source);
            x1[x] = Math.Min(x0[x] + 1, side - 1);
            xLerp[x] = source - x0[x];
        }

        for (int y = 0; y < size; y++)
        {
            float source = y * scale;
            int y0 = (int)MathF.Floor(source);
            int y1 = Math.Min(y0 + 1, side - 1);
            float yLerp = source - y0;
            for (int x = 0; x < size; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float topLeft = Pixel(pixels, rowBytes, width, height, x0[x], y0, c);
                    float topRight = Pixel(pixels, rowBytes, width, height, x1[x], y0, c);
                    float bottomLeft = Pixel(pixels, rowBytes, width, height, x0[x], y1, c);
                    float bottomRight = Pixel(pixels, rowBytes, width, height, x1[x], y1, c);
                    float top = topLeft + ((topRight - topLeft) * xLerp[x]);
                    float bottom = bottomLeft + ((bottomRight - bottomLeft) * xLerp[x]);
                    float value = top + ((bottom - top) * yLerp);
                    destination[(c * plane) + (y * size) + x] = (value / divisor) + offset;
                }
            }
        }
    }

    /// <summary>Channel <paramref name="c"/> of pixel (x, y), 0 in the padding right of or below the image.</summary>
    private static float Pixel(ReadOnlySpan<byte> pixels, int rowBytes, int width, int height, int x, int y, int c) =>
        x < width && y < height ? pixels[(y * rowBytes) + (4 * x) + c] : 0f;
}
