using System.Buffers.Binary;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.IO;
using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// The only metadata of a PNG that matters here, its EXIF orientation, read with memory bounded whatever the file
/// holds: only chunk headers are walked, and only the eXIf chunk is read, at most its first <see cref="MaxExifBytes"/>
/// (where IFD0 and its orientation tag are). Text (zTXt, iTXt) and ICC (iCCP) chunks, which inflate to any size, are
/// never opened; <see cref="WithoutMetadata"/> removes them and every other chunk the pixels do not need before
/// SkiaSharp sees the file (its libpng reads a large eXIf chunk a byte at a time: 16 MB took a minute).
/// </summary>
internal static class PngMetadata
{
    /// <summary>As much EXIF as a JPEG's APP1 segment can hold.</summary>
    public const int MaxExifBytes = 64 * 1024;

    /// <summary>The chunks that make the pixels of the first frame.</summary>
    private static readonly string[] PixelChunks = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT"];

    /// <summary>
    /// The orientation (SkiaSharp reads it from JPEG and WebP only) in <paramref name="png"/>'s eXIf chunk; top-left
    /// when there is none or it is unreadable.
    /// </summary>
    public static SKEncodedOrigin Orientation(byte[] png)
    {
        var exif = Chunks(png).FirstOrDefault(c => c.Type == "eXIf");
        if (exif.Length == 0)
        {
            return SKEncodedOrigin.TopLeft;
        }

        try
        {
            var head = png.AsSpan(exif.Data, Math.Min(exif.Length, MaxExifBytes)).ToArray();
            var ifd0 = new ExifReader().Extract(new ByteArrayReader(head)).OfType<ExifIfd0Directory>().FirstOrDefault();
            return ifd0 is not null && ifd0.TryGetUInt16(ExifDirectoryBase.TagOrientation, out ushort orientation) && orientation is >= 1 and <= 8
                ? (SKEncodedOrigin)orientation
                : SKEncodedOrigin.TopLeft;
        }
        catch (Exception e) when (e is ImageProcessingException or IOException or ArgumentException)
        {
            // Metadata is not worth refusing a photo over: Skia decodes the pixels or says why not.
            return SKEncodedOrigin.TopLeft;
        }
    }

    /// <summary><paramref name="png"/> with only the chunks that make its pixels (itself when it has no other).</summary>
    public static byte[] WithoutMetadata(byte[] png)
    {
        var chunks = Chunks(png).ToList();
        if (chunks.All(c => PixelChunks.Contains(c.Type)))
        {
            return png;
        }

        using var kept = new MemoryStream();
        kept.Write(png, 0, 8);
        foreach (var chunk in chunks.Where(c => PixelChunks.Contains(c.Type)))
        {
            kept.Write(png, chunk.Data - 8, chunk.Length + 12);
        }

        // Whatever follows the last whole chunk (a cut-off file) stays, so that damage is still reported as such.
        var last = chunks.Count > 0 ? chunks[^1].Data + chunks[^1].Length + 4 : 8;
        kept.Write(png, last, png.Length - last);
        return kept.ToArray();
    }

    /// <summary>Bits a pixel takes in <paramref name="png"/>'s data: bit depth times channels, from IHDR.</summary>
    public static int BitsPerPixel(byte[] png)
    {
        var ihdr = Chunks(png).FirstOrDefault(c => c.Type == "IHDR");
        if (ihdr.Length < 13)
        {
            return 1;
        }

        int channels = png[ihdr.Data + 9] switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };
        return Math.Max(1, png[ihdr.Data + 8] * channels);
    }

    /// <summary>Bytes of compressed image data (IDAT chunks) in <paramref name="png"/>.</summary>
    public static long ImageDataBytes(byte[] png) => Chunks(png).Where(c => c.Type == "IDAT").Sum(c => (long)c.Length);

    /// <summary>Each whole chunk after the signature: its type, where its data starts, and its length.</summary>
    private static IEnumerable<(string Type, int Data, int Length)> Chunks(byte[] png)
    {
        // Each chunk: 4-byte length, 4-byte type, data, 4-byte CRC.
        for (long at = 8; at + 12 <= png.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan((int)at));
            if (at + 12 + length > png.Length)
            {
                yield break;
            }

            var type = System.Text.Encoding.ASCII.GetString(png, (int)at + 4, 4);
            yield return (type, (int)at + 8, (int)length);
            if (type == "IEND")
            {
                yield break;
            }

            at += 12 + length;
        }
    }
}
