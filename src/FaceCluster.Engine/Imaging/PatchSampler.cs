using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>Renders a transformed view of an image into a small bitmap (resize, crop, similarity warp) with Skia's filtered sampling.</summary>
internal static class PatchSampler
{
    private static readonly SKSamplingOptions Filtered = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <summary>
    /// A <paramref name="width"/> x <paramref name="height"/> RGBA bitmap whose pixel (x,y) shows the source point that
    /// <paramref name="sourceToPatch"/> maps onto it; pixels outside the source are black.
    /// </summary>
    public static SKBitmap Sample(SKImage source, SKMatrix sourceToPatch, int width, int height)
    {
        var patch = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(patch);
        canvas.Clear(SKColors.Black);
        canvas.SetMatrix(sourceToPatch);
        canvas.DrawImage(source, 0, 0, Filtered);
        return patch;
    }

    /// <summary>Maps the rectangle (x, y, w, h) of the source onto the whole patch (stretching if the aspect differs).</summary>
    public static SKMatrix RectToPatch(float x, float y, float w, float h, int width, int height)
    {
        float sx = width / w, sy = height / h;
        return new SKMatrix(sx, 0, -x * sx, 0, sy, -y * sy, 0, 0, 1);
    }
}
