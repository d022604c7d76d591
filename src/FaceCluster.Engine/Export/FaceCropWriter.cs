using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Makes <c>representative.jpg</c>: a square JPEG crop of one face with a margin around it. The source is decoded with
/// its EXIF orientation applied, because face boxes are in the upright image's coordinates.
/// </summary>
internal static class FaceCropWriter
{
    public const int DefaultSize = 256;
    public const int JpegQuality = 90;

    /// <summary>Margin added on each side, as a fraction of the box's longer side.</summary>
    public const float Margin = 0.3f;

    /// <summary>Encodes the crop of <paramref name="face"/> from its source photo.</summary>
    /// <exception cref="InvalidDataException">The source cannot be decoded.</exception>
    /// <exception cref="IOException">The source cannot be read.</exception>
    public static byte[] CreateJpeg(FaceEncoding face, int size = DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(face);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);

        var (decodedBitmap, origin) = Decode(face.Path);
        using var raw = decodedBitmap;
        var swapsAxes = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        float uprightWidth = swapsAxes ? raw.Height : raw.Width;
        float uprightHeight = swapsAxes ? raw.Width : raw.Height;

        var crop = SquareAround(ScaleBox(face, uprightWidth, uprightHeight), uprightWidth, uprightHeight);
        var scale = size / crop.Width;

        // raw pixels -> upright image -> crop square -> output pixels
        var toOutput = SKMatrix.CreateScaleTranslation(scale, scale, -crop.Left * scale, -crop.Top * scale)
            .PreConcat(UprightMatrix(origin, uprightWidth, uprightHeight));

        using var output = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(output))
        using (var image = SKImage.FromBitmap(raw))
        {
            canvas.Clear(SKColors.Black);
            canvas.SetMatrix(toOutput);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        using var encoded = output.Encode(SKEncodedImageFormat.Jpeg, JpegQuality)
            ?? throw new InvalidDataException("JPEG encoding failed.");
        return encoded.ToArray();
    }

    /// <summary>The pixels of <paramref name="path"/> as stored and their EXIF orientation; for a format SkiaSharp is not
    /// given (<see cref="ImageFormatSniffer.IsDecodable"/>: HEIF, AVIF, TIFF, ICO), <see cref="ImageLoader"/>'s upright decode.</summary>
    private static (SKBitmap Raw, SKEncodedOrigin Origin) Decode(string path)
    {
        SKCodec? codec = null;
        try
        {
            var bytes = ImageFileReader.Read(path, ImageLoader.MaxFileBytes);
            if (ImageFormatSniffer.Identify(bytes) is { } format && ImageFormatSniffer.IsDecodable(format))
            {
                codec = SKCodec.Create(new MemoryStream(bytes, writable: false));
            }

            if (codec is null)
            {
                return (ImageLoader.Load(path, FaceCropper.DecodeSize).Bitmap, SKEncodedOrigin.TopLeft);
            }
        }
        catch (ImageDecodeException e) when (e.Reason == ImageDecodeFailure.Unreadable)
        {
            throw new IOException(e.Message, e);
        }
        catch (ImageDecodeException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

        using var _ = codec;

        var rawInfo = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var raw = new SKBitmap(rawInfo);
        var decoded = codec.GetPixels(rawInfo, raw.GetPixels());
        if (decoded is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            raw.Dispose();
            throw new InvalidDataException($"Cannot decode '{path}': {decoded}.");
        }

        return (raw, codec.EncodedOrigin);
    }

    /// <summary>The box in upright pixels of the decoded image (which may differ in size from what the encoder saw).</summary>
    private static SKRect ScaleBox(FaceEncoding face, float uprightWidth, float uprightHeight)
    {
        var sx = face.ImageWidth > 0 ? uprightWidth / face.ImageWidth : 1f;
        var sy = face.ImageHeight > 0 ? uprightHeight / face.ImageHeight : 1f;
        var box = face.Box;
        return SKRect.Create(box.X * sx, box.Y * sy, box.Width * sx, box.Height * sy);
    }

    /// <summary>A square centred on the box with <see cref="Margin"/>, shrunk and shifted to stay inside the image.</summary>
    private static SKRect SquareAround(SKRect box, float width, float height)
    {
        var side = Math.Max(Math.Max(box.Width, box.Height) * (1 + 2 * Margin), 1f);
        side = Math.Min(side, Math.Max(Math.Min(width, height), 1f));
        var left = Math.Clamp(box.MidX - side / 2, 0, Math.Max(width - side, 0));
        var top = Math.Clamp(box.MidY - side / 2, 0, Math.Max(height - side, 0));
        return SKRect.Create(left, top, side, side);
    }

    /// <summary>Maps raw (as stored) pixel coordinates to upright ones for an EXIF orientation; w and h are upright.</summary>
    internal static SKMatrix UprightMatrix(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        // new SKMatrix(scaleX, skewX, transX, skewY, scaleY, transY, 0, 0, 1): x' = scaleX*x + skewX*y + transX, y' = skewY*x + scaleY*y + transY
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),      // mirrored horizontally
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),  // rotated 180
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),    // mirrored vertically
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),        // transposed
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),      // needs 90 clockwise
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),  // transverse
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1),    // needs 90 counter-clockwise
        _ => SKMatrix.Identity,
    };
}
