using System.Buffers.Binary;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// The largest image inside an ICO or CUR file, as a file of its own. SkiaSharp's icon codec aborts the process
/// (SIGILL) when an entry's PNG or BMP claims a size its entry does not, so icons never reach it: an entry's PNG is
/// returned as it is, and its BMP (a DIB: no file header, height doubled for the AND mask) with a file header and its
/// real height, for the PNG and BMP codecs, which check a claimed size against the data.
/// </summary>
internal static class IconImage
{
    private const int DirectoryBytes = 6, EntryBytes = 16, FileHeaderBytes = 14;

    /// <exception cref="ImageDecodeException">The icon has no whole entry, or one that is neither PNG nor BMP.</exception>
    public static byte[] Extract(string path, byte[] icon)
    {
        // ICONDIR: reserved, type (1 icon, 2 cursor), count; then per entry: width, height (0 means 256), colours,
        // reserved, planes or hotspot x, bits or hotspot y, size of the image data, its offset in the file.
        int count = icon.Length >= DirectoryBytes ? BinaryPrimitives.ReadUInt16LittleEndian(icon.AsSpan(4)) : 0;
        int best = -1;
        long bestArea = -1;
        for (int i = 0; i < count && DirectoryBytes + (i + 1) * EntryBytes <= icon.Length; i++)
        {
            var entry = icon.AsSpan(DirectoryBytes + i * EntryBytes, EntryBytes);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]), offset = BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
            long area = (entry[0] == 0 ? 256 : entry[0]) * (entry[1] == 0 ? 256 : entry[1]);
            if (size > 0 && offset + size <= icon.Length && area > bestArea)
            {
                (best, bestArea) = (i, area);
            }
        }

        if (best < 0)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Truncated, "Icon holds no whole image");
        }

        var chosen = icon.AsSpan(DirectoryBytes + best * EntryBytes, EntryBytes);
        var image = icon.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(chosen[12..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(chosen[8..]));
        if (ImageFormatSniffer.Identify(image) == "PNG")
        {
            return image.ToArray();
        }

        return AsBmpFile(path, image);
    }

    /// <summary>An icon's DIB as a BMP file: a file header before it, and the height of its colour pixels alone.</summary>
    private static byte[] AsBmpFile(string path, ReadOnlySpan<byte> dib)
    {
        // BITMAPINFOHEADER (40 bytes) and its later versions, whose sizes and heights are 32-bit.
        uint headerBytes = dib.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(dib) : 0;
        if (headerBytes is not (40 or 52 or 56 or 108 or 124) || dib.Length < headerBytes)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.UnsupportedFormat, "Icon image is neither PNG nor BMP");
        }

        int bits = BinaryPrimitives.ReadUInt16LittleEndian(dib[14..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(dib[16..]);
        uint colours = BinaryPrimitives.ReadUInt32LittleEndian(dib[32..]);
        long palette = bits <= 8 ? 4L * (colours is > 0 and <= 256 ? colours : 1u << bits) : 0;
        long masks = headerBytes == 40 && compression == 3 ? 12 : 0; // BI_BITFIELDS: three masks after the header
        var bmp = new byte[FileHeaderBytes + dib.Length];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(10), (uint)Math.Min(uint.MaxValue, FileHeaderBytes + headerBytes + palette + masks));
        dib.CopyTo(bmp.AsSpan(FileHeaderBytes));
        int height = BinaryPrimitives.ReadInt32LittleEndian(dib[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(FileHeaderBytes + 8), height / 2);
        return bmp;
    }
}
