using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace FaceCluster.Engine.Tests;

/// <summary>Writes test image files that SkiaSharp cannot produce itself (huge PNGs, EXIF-tagged JPEGs).</summary>
internal static class TestImages
{
    /// <summary>A valid all-black 1-bit greyscale PNG of the given size, a few kB on disk, written without allocating its pixels.</summary>
    public static void WriteBlackPng(string path, int width, int height)
    {
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 1; // bit depth; colour type 0 (grey), compression 0, filter 0, interlace 0
        WriteChunk(file, "IHDR", ihdr);

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + (width + 7) / 8]; // filter byte 0, then zero bits
            for (int y = 0; y < height; y++)
            {
                z.Write(row);
            }
        }

        WriteChunk(file, "IDAT", idat.ToArray());
        WriteChunk(file, "IEND", []);
    }

    /// <summary>Encodes <paramref name="bitmap"/> as JPEG with an EXIF APP1 segment holding only the orientation tag (1..8).</summary>
    public static void WriteJpegWithOrientation(string path, SKBitmap bitmap, ushort orientation, int quality = 95)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        var jpeg = data.ToArray();
        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 0x22, // APP1, length 34
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at 8
            0x00, 0x01, // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00, // Orientation, SHORT, 1
            0x00, 0x00, 0x00, 0x00, // no next IFD
        ];
        using var file = File.Create(path);
        file.Write(jpeg, 0, 2); // SOI
        file.Write(app1);
        file.Write(jpeg, 2, jpeg.Length - 2);
    }

    /// <summary>Encodes <paramref name="bitmap"/> as PNG with an eXIf chunk (before IDAT) holding only the orientation tag (1..8).</summary>
    public static void WritePngWithOrientation(string path, SKBitmap bitmap, ushort orientation)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var png = data.ToArray();
        byte[] exif =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at 8
            0x00, 0x01, // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00, // Orientation, SHORT, 1
            0x00, 0x00, 0x00, 0x00, // no next IFD
        ];
        const int afterHeader = 8 + 4 + 4 + 13 + 4; // signature, then the IHDR chunk
        using var file = File.Create(path);
        file.Write(png, 0, afterHeader);
        WriteChunk(file, "eXIf", exif);
        file.Write(png, afterHeader, png.Length - afterHeader);
    }

    /// <summary>Draws <paramref name="source"/> through <paramref name="matrix"/> into a new bitmap of the given size.</summary>
    public static SKBitmap Transform(SKBitmap source, SKMatrix matrix, int width, int height)
    {
        var result = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(result);
        using var image = SKImage.FromBitmap(source);
        canvas.SetMatrix(matrix);
        canvas.DrawImage(image, 0, 0);
        return result;
    }

    public static void WriteJpeg(string path, SKBitmap bitmap, int quality = 95)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        File.WriteAllBytes(path, data.ToArray());
    }

    public static void WriteSolidJpeg(string path, int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        WriteJpeg(path, bitmap);
    }

    /// <summary>A copy of <paramref name="jpeg"/> whose frame header (SOF0..SOF2) claims <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public static byte[] WithJpegSize(byte[] jpeg, ushort width, ushort height)
    {
        var copy = (byte[])jpeg.Clone();
        int at = 2; // after SOI, every segment is FF, marker, 16-bit length
        while (copy[at + 1] is not (0xC0 or 0xC1 or 0xC2))
        {
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(at + 2));
        }

        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 5), height);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 7), width);
        return copy;
    }

    /// <summary>The start of an ISO base media file (MP4, MOV, HEIF, AVIF): an 'ftyp' box with the given brands, then an empty 'mdat'.</summary>
    public static byte[] IsoMediaFile(string majorBrand, string[] compatibleBrands)
    {
        var ftyp = new List<byte>();
        ftyp.AddRange(new byte[4]);
        ftyp.AddRange("ftyp"u8.ToArray());
        ftyp.AddRange(System.Text.Encoding.ASCII.GetBytes(majorBrand));
        ftyp.AddRange(new byte[4]); // minor version
        foreach (var brand in compatibleBrands)
        {
            ftyp.AddRange(System.Text.Encoding.ASCII.GetBytes(brand));
        }

        var bytes = ftyp.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length);
        return [.. bytes, 0, 0, 0, 8, (byte)'m', (byte)'d', (byte)'a', (byte)'t', .. new byte[64]];
    }

    internal static void WriteChunk(Stream stream, string type, byte[] body)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, body.Length);
        stream.Write(four);
        var typed = new byte[4 + body.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        body.CopyTo(typed, 4);
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(typed));
        stream.Write(four);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
