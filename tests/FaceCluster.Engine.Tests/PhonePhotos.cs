using System.Buffers.Binary;
using System.Diagnostics;
using ImageMagick;
using SkiaSharp;

namespace FaceCluster.Engine.Tests;

/// <summary>
/// Writes the photo formats of phones and cameras at test time: TIFF and AVIF with Magick.NET, HEIC with heif-enc
/// (Debian's libheif-examples; Magick.NET's ImageMagick has no HEVC encoder).
/// </summary>
internal static class PhonePhotos
{
    /// <summary>
    /// Writes <paramref name="stored"/> (pixels as the sensor stored them) as <paramref name="format"/> ("tif", "avif",
    /// "heic"), marked to be shown rotated 90 degrees clockwise: EXIF orientation 6 (RightTop) in TIFF, and as a phone
    /// writes HEIF, an 'irot' property (which decoders apply) beside EXIF orientation 6 (which they then ignore).
    /// </summary>
    public static void WriteRotatedClockwise(string path, SKBitmap stored, string format)
    {
        if (format == "heic")
        {
            var jpeg = Path.ChangeExtension(path, ".source.jpg");
            TestImages.WriteJpegWithOrientation(jpeg, stored, 6);
            RunHeifEnc(jpeg, path);
            File.Delete(jpeg);
            // irot counts anticlockwise quarter turns: three of them are one clockwise.
            File.WriteAllBytes(path, WithHeifRotation(File.ReadAllBytes(path), 3));
            return;
        }

        using var image = ToMagick(stored);
        image.Orientation = Orientation.RightTop; // AVIF: ImageMagick writes it as 'irot'
        image.Write(path, format == "avif" ? MagickFormat.Avif : MagickFormat.Tiff);
    }

    /// <summary>Writes <paramref name="bitmap"/> as <paramref name="format"/> ("tif", "avif", "heic"), upright.</summary>
    public static void Write(string path, SKBitmap bitmap, string format)
    {
        if (format == "heic")
        {
            var png = Path.ChangeExtension(path, ".source.png");
            using (var data = bitmap.Encode(SKEncodedImageFormat.Png, 100))
            {
                File.WriteAllBytes(png, data.ToArray());
            }

            RunHeifEnc(png, path);
            File.Delete(png);
            return;
        }

        using var image = ToMagick(bitmap);
        image.Write(path, format == "avif" ? MagickFormat.Avif : MagickFormat.Tiff);
    }

    /// <summary>The bytes of a <paramref name="width"/> x <paramref name="height"/> gradient written as <paramref name="format"/>.</summary>
    public static byte[] Bytes(int width, int height, string format)
    {
        using var temp = new TempDirectory();
        var path = temp.File("photo." + format);
        using var bitmap = HostileImages.Gradient(width, height);
        Write(path, bitmap, format);
        return File.ReadAllBytes(path);
    }

    private static MagickImage ToMagick(SKBitmap bitmap)
    {
        using var rgba = bitmap.Copy(SKColorType.Rgba8888);
        var settings = new PixelReadSettings((uint)rgba.Width, (uint)rgba.Height, StorageType.Char, PixelMapping.RGBA);
        var image = new MagickImage();
        image.ReadPixels(rgba.GetPixelSpan(), settings);
        image.Quality = 90;
        image.Settings.SetDefine(MagickFormat.Heic, "speed", "9"); // libaom's fastest: the default takes seconds a photo
        return image;
    }

    private static void RunHeifEnc(string input, string output)
    {
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("heif-enc", ["-q", "90", "-p", "preset=ultrafast", "-o", output, input])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The HEIC tests need heif-enc on PATH (Debian: apt-get install libheif-examples); see README.md, Set-up.", e);
        }

        using (process)
        {
            string errors = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0 && File.Exists(output), $"heif-enc failed: {errors}");
        }
    }

    /// <summary>
    /// A copy of a one-image HEIF file with an essential 'irot' property (ISO/IEC 23008-12, 6.5.10) on its primary item.
    /// Hand-written because no tool here writes one: libheif 1.15's heif-enc drops the EXIF orientation, and Magick.NET
    /// cannot encode HEVC. The property is appended to 'ipco' and associated in 'ipma'; box sizes and the 'iloc' offsets
    /// of the data after 'meta' grow by the bytes added.
    /// </summary>
    public static byte[] WithHeifRotation(byte[] heif, byte anticlockwiseQuarterTurns)
    {
        var b = (byte[])heif.Clone();
        int meta = FindBox(b, 0, b.Length, "meta");
        int metaEnd = meta + Size(b, meta);
        int iprp = FindBox(b, meta + 12, metaEnd, "iprp");
        int ipco = FindBox(b, iprp + 8, iprp + Size(b, iprp), "ipco");
        int ipma = FindBox(b, iprp + 8, iprp + Size(b, iprp), "ipma");
        int pitm = FindBox(b, meta + 12, metaEnd, "pitm");
        int iloc = FindBox(b, meta + 12, metaEnd, "iloc");
        uint primary = b[pitm + 8] == 0 ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(pitm + 12)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(pitm + 12));

        int properties = 0;
        for (int at = ipco + 8; at < ipco + Size(b, ipco); at += Size(b, at))
        {
            properties++;
        }

        // The primary item's entry in ipma: item id, association count, associations (1 or 2 bytes each).
        bool ipmaV0 = b[ipma + 8] == 0, wideIndex = (b[ipma + 11] & 1) != 0;
        int entry = ipma + 16, countAt = -1, associationsEnd = -1;
        for (uint e = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(ipma + 12)); e > 0; e--)
        {
            uint item = ipmaV0 ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(entry)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(entry));
            int count = entry + (ipmaV0 ? 2 : 4);
            int end = count + 1 + b[count] * (wideIndex ? 2 : 1);
            if (item == primary)
            {
                (countAt, associationsEnd) = (count, end);
            }

            entry = end;
        }

        Assert.True(countAt > 0, "the primary item has no property associations");
        Assert.True(associationsEnd > ipco + Size(b, ipco), "ipma follows ipco");
        int index = properties + 1;
        byte[] association = wideIndex ? [(byte)(0x80 | (index >> 8)), (byte)index] : [(byte)(0x80 | index)];
        byte[] irot = [0, 0, 0, 9, (byte)'i', (byte)'r', (byte)'o', (byte)'t', anticlockwiseQuarterTurns];
        int grown = irot.Length + association.Length;
        int insertedAt = ipco + Size(b, ipco);

        // In place first (original positions): counts, sizes, then the offsets of data that moves.
        b[countAt]++;
        AddToSize(b, ipma, association.Length);
        AddToSize(b, ipco, irot.Length);
        AddToSize(b, iprp, grown);
        AddToSize(b, meta, grown);
        ShiftIlocOffsets(b, iloc, insertedAt, grown);

        // Then insert, the later position first so the earlier one stays valid.
        return [.. b[..insertedAt], .. irot, .. b[insertedAt..associationsEnd], .. association, .. b[associationsEnd..]];
    }

    private static void ShiftIlocOffsets(byte[] b, int iloc, int from, int by)
    {
        int version = b[iloc + 8];
        int p = iloc + 12;
        int offsetSize = b[p] >> 4, lengthSize = b[p] & 15, baseSize = b[p + 1] >> 4;
        int indexSize = version is 1 or 2 ? b[p + 1] & 15 : 0;
        p += 2;
        uint items = version < 2 ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(p)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(p));
        p += version < 2 ? 2 : 4;
        for (; items > 0; items--)
        {
            p += version < 2 ? 2 : 4; // item id
            int method = 0;
            if (version is 1 or 2)
            {
                method = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(p)) & 15;
                p += 2;
            }

            p += 2; // data reference index
            int baseAt = p;
            ulong baseOffset = Read(b, p, baseSize);
            p += baseSize;
            int extents = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(p));
            p += 2;
            if (method == 0 && baseOffset >= (ulong)from)
            {
                Write(b, baseAt, baseSize, baseOffset + (ulong)by);
            }

            for (; extents > 0; extents--)
            {
                p += indexSize;
                ulong offset = Read(b, p, offsetSize);
                if (method == 0 && baseOffset == 0 && offset >= (ulong)from)
                {
                    Write(b, p, offsetSize, offset + (ulong)by);
                }

                p += offsetSize + lengthSize;
            }
        }
    }

    private static int FindBox(byte[] b, int from, int end, string type)
    {
        for (int at = from; at + 8 <= end; at += Size(b, at))
        {
            if (System.Text.Encoding.ASCII.GetString(b, at + 4, 4) == type)
            {
                return at;
            }
        }

        throw new InvalidDataException($"no '{type}' box");
    }

    private static int Size(byte[] b, int box) => (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(box));

    private static void AddToSize(byte[] b, int box, int by) => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(box), (uint)(Size(b, box) + by));

    private static ulong Read(byte[] b, int at, int size) => size switch
    {
        0 => 0,
        4 => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at)),
        8 => BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(at)),
        _ => throw new InvalidDataException($"iloc field of {size} bytes"),
    };

    private static void Write(byte[] b, int at, int size, ulong value)
    {
        if (size == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), (uint)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(at), value);
        }
    }
}
