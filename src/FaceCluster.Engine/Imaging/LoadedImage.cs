using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// An upright (EXIF-oriented) image, possibly decoded at a reduced size. <see cref="Scale"/> maps full-resolution
/// coordinates to <see cref="Bitmap"/> coordinates: bitmapX = fullX * Scale.
/// </summary>
public sealed class LoadedImage : IDisposable
{
    internal LoadedImage(SKBitmap bitmap, int fullWidth, int fullHeight, JpegRegionDecoder? finer = null)
    {
        Finer = finer;
        Bitmap = bitmap;
        FullWidth = fullWidth;
        FullHeight = fullHeight;
        Scale = (float)bitmap.Width / fullWidth;
    }

    /// <summary>Upright pixels, RGBA 8888.</summary>
    public SKBitmap Bitmap { get; }

    /// <summary>Width of the upright image at full resolution.</summary>
    public int FullWidth { get; }

    /// <summary>Height of the upright image at full resolution.</summary>
    public int FullHeight { get; }

    /// <summary>Bitmap pixels per full-resolution pixel (1 when not reduced).</summary>
    public float Scale { get; }

    /// <summary>
    /// Decodes regions of the image at a finer scale than <see cref="Bitmap"/>'s, when it came from
    /// <see cref="ImageLoader.LoadCoarse"/> and has one; else null.
    /// </summary>
    internal JpegRegionDecoder? Finer { get; }

    public void Dispose() => Bitmap.Dispose();
}
