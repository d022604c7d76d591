using System.Buffers.Binary;
using System.IO.Compression;
using ImageMagick;
using SkiaSharp;

namespace FaceCluster.Engine.Tests;

/// <summary>
/// Builds hostile image files in memory: containers whose inner image lies about its size or type, headers patched to
/// huge sizes, and metadata that is huge or inflates to gigabytes.
/// </summary>
internal static class HostileImages
{
    /// <summary>A small opaque gradient, so every encoder writes real pixel data.</summary>
    public static SKBitmap Gradient(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), 128));
            }
        }

        return bitmap;
    }

    public static byte[] Png(int width, int height)
    {
        using var bitmap = Gradient(width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static byte[] Jpeg(int width, int height)
    {
        using var bitmap = Gradient(width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    public static byte[] Webp(int width, int height)
    {
        using var bitmap = Gradient(width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Webp, 90);
        return data.ToArray();
    }

    /// <summary><paramref name="width"/> x <paramref name="height"/> pixels written by ImageMagick as <paramref name="format"/>.</summary>
    public static byte[] Magick(MagickFormat format, int width, int height, Action<MagickImage>? tweak = null)
    {
        using var bitmap = Gradient(width, height);
        var settings = new PixelReadSettings((uint)width, (uint)height, StorageType.Char, PixelMapping.RGBA);
        using var image = new MagickImage();
        image.ReadPixels(bitmap.Bytes, settings);
        image.Alpha(AlphaAction.Off);
        tweak?.Invoke(image);
        return image.ToByteArray(format);
    }

    /// <summary>
    /// A PNG of a few dozen bytes whose header claims <paramref name="width"/> x <paramref name="height"/> RGBA pixels
    /// and whose data holds one row.
    /// </summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 6; // RGBA
        return BuildPng([("IHDR", ihdr), ("IDAT", Deflate(new byte[1 + 4 * Math.Min(width, 64)])), ("IEND", [])]);
    }

    /// <summary>The issue's 96-byte icon: one 16x16 entry whose PNG claims 5000x5000 pixels.</summary>
    public static byte[] IssueIcon() => Icon(PngClaiming(5000, 5000), 16, 16);

    /// <summary>An ICO (type 1) or CUR (type 2) with one entry of <paramref name="width"/> x <paramref name="height"/> (0 = 256) holding <paramref name="image"/>.</summary>
    public static byte[] Icon(byte[] image, byte width, byte height, ushort type = 1)
    {
        var icon = new byte[6 + 16 + image.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(icon.AsSpan(2), type);
        BinaryPrimitives.WriteUInt16LittleEndian(icon.AsSpan(4), 1);
        icon[6] = width;
        icon[7] = height;
        BinaryPrimitives.WriteUInt16LittleEndian(icon.AsSpan(10), 1); // planes (or hotspot x)
        BinaryPrimitives.WriteUInt16LittleEndian(icon.AsSpan(12), 32); // bits (or hotspot y)
        BinaryPrimitives.WriteInt32LittleEndian(icon.AsSpan(14), image.Length);
        BinaryPrimitives.WriteInt32LittleEndian(icon.AsSpan(18), 22);
        image.CopyTo(icon, 22);
        return icon;
    }

    /// <summary>
    /// An icon's BMP image (a BITMAPINFOHEADER without a file header, height doubled for the AND mask) claiming
    /// <paramref name="width"/> x <paramref name="height"/> 32-bit pixels, with the pixels of a 16x16 one.
    /// </summary>
    public static byte[] Dib(int width, int height)
    {
        var dib = new byte[40 + 16 * 16 * 4 + 16 * 4];
        BinaryPrimitives.WriteInt32LittleEndian(dib, 40);
        BinaryPrimitives.WriteInt32LittleEndian(dib.AsSpan(4), width);
        BinaryPrimitives.WriteInt32LittleEndian(dib.AsSpan(8), height * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(dib.AsSpan(12), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(dib.AsSpan(14), 32);
        for (int i = 40; i < 40 + 16 * 16 * 4; i += 4)
        {
            dib[i] = 200;
            dib[i + 3] = 255;
        }

        return dib;
    }

    /// <summary>zlib data that inflates to <paramref name="bytes"/> zeros (about a thousandth of that in size).</summary>
    public static byte[] ZerosDeflated(long bytes)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= zeros.Length)
            {
                z.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
            }
        }

        return output.ToArray();
    }

    public static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A zTXt chunk's body: a keyword, compression method 0, then <paramref name="deflated"/>.</summary>
    public static byte[] Ztxt(byte[] deflated) => [.. "Comment"u8, 0, 0, .. deflated];

    /// <summary>An iTXt chunk's body, compressed: keyword, flag 1, method 0, no language, no translation, <paramref name="deflated"/>.</summary>
    public static byte[] CompressedItxt(byte[] deflated) => [.. "XML:com.adobe.xmp"u8, 0, 1, 0, 0, 0, .. deflated];

    /// <summary>An iCCP chunk's body: a profile name, compression method 0, then <paramref name="deflated"/>.</summary>
    public static byte[] Iccp(byte[] deflated) => [.. "ICC profile"u8, 0, 0, .. deflated];

    /// <summary>A TIFF header and IFD0 holding only the orientation tag, as in EXIF.</summary>
    public static byte[] ExifOrientation(ushort orientation) =>
    [
        (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01,
        0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ];

    /// <summary><paramref name="png"/> with <paramref name="extra"/> chunks inserted right after IHDR.</summary>
    public static byte[] WithPngChunks(byte[] png, params (string Type, byte[] Body)[] extra)
    {
        var chunks = PngChunks(png);
        chunks.InsertRange(1, extra);
        return BuildPng(chunks);
    }

    /// <summary><paramref name="png"/> with its IHDR claiming <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] WithPngSize(byte[] png, int width, int height)
    {
        var chunks = PngChunks(png);
        var ihdr = (byte[])chunks[0].Body.Clone();
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        chunks[0] = ("IHDR", ihdr);
        return BuildPng(chunks);
    }

    public static List<(string Type, byte[] Body)> PngChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (int at = 8; at + 12 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            chunks.Add((System.Text.Encoding.ASCII.GetString(png, at + 4, 4), png[(at + 8)..(at + 8 + length)]));
            at += 12 + length;
        }

        return chunks;
    }

    public static byte[] BuildPng(IEnumerable<(string Type, byte[] Body)> chunks)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var (type, body) in chunks)
        {
            TestImages.WriteChunk(file, type, body);
        }

        return file.ToArray();
    }

    /// <summary><paramref name="jpeg"/> with <paramref name="count"/> copies of a segment (marker, body) right after SOI.</summary>
    public static byte[] WithJpegSegments(byte[] jpeg, byte marker, byte[] body, int count)
    {
        using var file = new MemoryStream();
        file.Write(jpeg, 0, 2);
        for (int i = 0; i < count; i++)
        {
            file.Write([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            file.Write(body);
        }

        file.Write(jpeg, 2, jpeg.Length - 2);
        return file.ToArray();
    }

    /// <summary><paramref name="bmp"/> (a BMP file) with its header claiming <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] WithBmpSize(byte[] bmp, int width, int height)
    {
        var copy = (byte[])bmp.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(22), height);
        return copy;
    }

    /// <summary><paramref name="gif"/> with its logical screen (canvas) of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] WithGifScreen(byte[] gif, ushort width, ushort height)
    {
        var copy = (byte[])gif.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(6), width);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(8), height);
        return copy;
    }

    /// <summary><paramref name="gif"/> with its first frame placed at (<paramref name="left"/>, <paramref name="top"/>) and sized <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] WithGifFrame(byte[] gif, ushort left, ushort top, ushort width, ushort height)
    {
        var copy = (byte[])gif.Clone();
        int at = 13 + ((copy[10] & 0x80) != 0 ? 3 << ((copy[10] & 7) + 1) : 0);
        while (copy[at] == 0x21)
        {
            at += 2;
            while (copy[at] != 0)
            {
                at += copy[at] + 1;
            }

            at++;
        }

        if (copy[at] != 0x2C)
        {
            throw new InvalidOperationException("No GIF image descriptor found.");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at + 1), left);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at + 3), top);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at + 5), width);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at + 7), height);
        return copy;
    }

    /// <summary><paramref name="gif"/> with a comment extension of <paramref name="bytes"/> bytes after its header.</summary>
    public static byte[] WithGifComment(byte[] gif, int bytes)
    {
        int at = 13 + ((gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 7) + 1) : 0);
        using var file = new MemoryStream();
        file.Write(gif, 0, at);
        file.Write([0x21, 0xFE]);
        var block = new byte[256];
        block[0] = 255;
        for (int left = bytes; left > 0; left -= 255)
        {
            file.Write(block);
        }

        file.WriteByte(0);
        file.Write(gif, at, gif.Length - at);
        return file.ToArray();
    }

    /// <summary>
    /// <paramref name="webp"/> (a simple lossy or lossless WebP) as an extended one: a VP8X canvas of
    /// <paramref name="width"/> x <paramref name="height"/>, then <paramref name="extra"/> chunks, then its image.
    /// </summary>
    public static byte[] AsExtendedWebp(byte[] webp, int width, int height, params (string Type, byte[] Body)[] extra)
    {
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        var vp8x = new byte[10];
        vp8x[0] = (byte)((extra.Any(c => c.Type == "ICCP") ? 0x20 : 0) | (extra.Any(c => c.Type == "EXIF") ? 0x08 : 0) | (extra.Any(c => c.Type == "XMP ") ? 0x04 : 0));
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        WriteRiffChunk(body, "VP8X", vp8x);
        foreach (var (type, chunk) in extra.Where(c => c.Type == "ICCP"))
        {
            WriteRiffChunk(body, type, chunk);
        }

        body.Write(webp, 12, webp.Length - 12);
        foreach (var (type, chunk) in extra.Where(c => c.Type != "ICCP"))
        {
            WriteRiffChunk(body, type, chunk);
        }

        var riff = new byte[8 + body.Length];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteInt32LittleEndian(riff.AsSpan(4), (int)body.Length);
        body.ToArray().CopyTo(riff, 8);
        return riff;
    }

    /// <summary><paramref name="tiff"/> with IFD0's ImageWidth and ImageLength set to <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] WithTiffSize(byte[] tiff, uint width, uint height)
    {
        var copy = (byte[])tiff.Clone();
        bool little = copy[0] == 'I';
        uint U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(copy.AsSpan(at));
        ushort U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(at));
        int ifd = (int)U32(4);
        for (int i = 0, n = U16(ifd); i < n; i++)
        {
            int entry = ifd + 2 + 12 * i;
            if (U16(entry) is 256 or 257)
            {
                uint value = U16(entry) == 256 ? width : height;
                if (U16(entry + 2) == 3)
                {
                    ushort clamped = (ushort)Math.Min(value, ushort.MaxValue);
                    if (little) BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(entry + 8), clamped);
                    else BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(entry + 8), clamped);
                }
                else if (little) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(entry + 8), value);
                else BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(entry + 8), value);
            }
        }

        return copy;
    }

    /// <summary><paramref name="heif"/> (HEIF or AVIF) with every 'ispe' (image spatial extents) property set to <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] WithIspe(byte[] heif, uint width, uint height)
    {
        var copy = (byte[])heif.Clone();
        for (int at = copy.AsSpan().IndexOf("ispe"u8); at > 0; at = Next(copy, at, "ispe"u8))
        {
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at + 8), width);
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at + 12), height);
        }

        return copy;
    }

    /// <summary><paramref name="bytes"/> with the first SOF0..SOF2 segment after <paramref name="from"/> claiming <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] WithEmbeddedJpegSize(byte[] bytes, int from, ushort width, ushort height)
    {
        var copy = (byte[])bytes.Clone();
        for (int at = from; at + 9 < copy.Length; at++)
        {
            if (copy[at] == 0xFF && copy[at + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 7), width);
                return copy;
            }
        }

        throw new InvalidOperationException("No JPEG frame header found.");
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="bytes"/>.</summary>
    public static byte[] Cut(byte[] bytes, double fraction) => bytes[..Math.Max(1, (int)(bytes.Length * fraction))];

    private static int Next(byte[] bytes, int after, ReadOnlySpan<byte> what)
    {
        int next = bytes.AsSpan(after + 1).IndexOf(what);
        return next < 0 ? -1 : after + 1 + next;
    }

    private static void WriteRiffChunk(Stream stream, string type, byte[] body)
    {
        stream.Write(System.Text.Encoding.ASCII.GetBytes(type));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, body.Length);
        stream.Write(size);
        stream.Write(body);
        if (body.Length % 2 == 1)
        {
            stream.WriteByte(0);
        }
    }

    private static void WriteUInt24(Span<byte> at, int value)
    {
        at[0] = (byte)value;
        at[1] = (byte)(value >> 8);
        at[2] = (byte)(value >> 16);
    }
}
