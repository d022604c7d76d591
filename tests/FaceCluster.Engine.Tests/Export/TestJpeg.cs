using SkiaSharp;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>Small JPEG files made with SkiaSharp: a grey background with one coloured rectangle (the "face").</summary>
public static class TestJpeg
{
    public static readonly SKColor Background = new(128, 128, 128);

    /// <summary>Writes a <paramref name="width"/>x<paramref name="height"/> JPEG with <paramref name="face"/> filled in
    /// <paramref name="colour"/>; optionally with an EXIF orientation tag.</summary>
    public static string Write(string path, int width, int height, SKRectI face, SKColor colour, ushort? exifOrientation = null)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Background);
            using var paint = new SKPaint { Color = colour, Style = SKPaintStyle.Fill };
            canvas.DrawRect(face, paint);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        var bytes = data.ToArray();
        if (exifOrientation is { } orientation)
            bytes = WithExifOrientation(bytes, orientation);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes a distinct small photo (its colour derived from <paramref name="seed"/>).</summary>
    public static string WritePhoto(string path, int seed = 0) =>
        Write(path, 400, 300, new SKRectI(150, 100, 250, 200), new SKColor((byte)(40 + seed * 37 % 200), (byte)(200 - seed * 53 % 180), (byte)(60 + seed * 17 % 190)));

    /// <summary>Inserts an APP1 Exif segment holding only the Orientation tag (0x0112) right after SOI.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0,       // little-endian TIFF header, IFD0 at offset 8
            1, 0,                                           // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0,                   // tag 0x0112 Orientation, SHORT, count 1
            (byte)orientation, 0, 0, 0,                     // value
            0, 0, 0, 0,                                     // no next IFD
        ];
        byte[] header = [(byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0];
        var length = 2 + header.Length + tiff.Length;
        var segment = new List<byte> { 0xFF, 0xE1, (byte)(length >> 8), (byte)length };
        segment.AddRange(header);
        segment.AddRange(tiff);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }
}
