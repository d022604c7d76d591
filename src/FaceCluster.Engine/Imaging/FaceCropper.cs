using FaceCluster.Engine.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>Cuts a face out of a photo as a square JPEG (for thumbnails of a cluster's representative face).</summary>
public static class FaceCropper
{
    /// <summary>Longest side the photo is decoded at for cropping: enough detail for a thumbnail of any face worth clustering.</summary>
    public const int DecodeSize = 4096;

    /// <summary>
    /// A <paramref name="size"/> x <paramref name="size"/> JPEG of the square centred on <paramref name="box"/> (full-resolution
    /// upright pixels) whose side is the box's longer side plus <paramref name="margin"/> of it on each side; what falls
    /// outside the photo is black.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file cannot be decoded.</exception>
    public static byte[] CropJpeg(string path, FaceBox box, int size = 256, float margin = 0.25f, int quality = 90)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        float side = Math.Max(box.Width, box.Height) * (1 + 2 * margin);

        using var loaded = ImageLoader.Load(path, DecodeSize);
        using var image = SKImage.FromBitmap(loaded.Bitmap);
        float s = loaded.Scale;
        var toPatch = PatchSampler.RectToPatch((box.CenterX - side / 2) * s, (box.CenterY - side / 2) * s, side * s, side * s, size, size);
        using var patch = PatchSampler.Sample(image, toPatch, size, size);
        using var data = patch.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }
}
