using System.Buffers.Binary;

namespace FaceCluster.Engine.Imaging;

/// <summary>Recognises image container formats by their leading bytes, to tell "not an image" from "an image we cannot decode".</summary>
internal static class ImageFormatSniffer
{
    /// <summary>A short format name when <paramref name="head"/> starts like a known image format, else null.</summary>
    public static string? Identify(ReadOnlySpan<byte> head)
    {
        if (Starts(head, [0xFF, 0xD8, 0xFF])) return "JPEG";
        if (Starts(head, [0x89, (byte)'P', (byte)'N', (byte)'G'])) return "PNG";
        if (Starts(head, "GIF8"u8)) return "GIF";
        if (Starts(head, "BM"u8)) return "BMP";
        if (head.Length >= 12 && Starts(head, "RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "WebP";
        if (Starts(head, "II*\0"u8) || Starts(head, "MM\0*"u8)) return "TIFF";
        if (IsoMedia(head) is { IsImage: true } iso) return iso.Name;
        if (Starts(head, [0x00, 0x00, 0x01, 0x00])) return "ICO";
        if (Starts(head, [0x00, 0x00, 0x02, 0x00])) return "CUR";
        if (Starts(head, "8BPS"u8)) return "PSD";
        if (Starts(head, [0xFF, 0x0A]) || Starts(head, [0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L'])) return "JPEG XL";
        if (Starts(head, [0, 0, 0, 0x0C, (byte)'j', (byte)'P'])) return "JPEG 2000";
        return null;
    }

    /// <summary>
    /// What a file that is not an image is, when its leading bytes say so ("an MP4 video"), else null: videos share
    /// the ISO media container ('ftyp' box) with HEIF and AVIF photos, and only the brands tell them apart.
    /// </summary>
    public static string? IdentifyNonImage(ReadOnlySpan<byte> head) => IsoMedia(head) is { IsImage: false } iso ? iso.Name : null;

    /// <summary>The kind of an ISO base media file (ISO/IEC 14496-12) from the brands of its leading 'ftyp' box.</summary>
    private static (string Name, bool IsImage)? IsoMedia(ReadOnlySpan<byte> head)
    {
        if (head.Length < 16 || !head[4..8].SequenceEqual("ftyp"u8))
        {
            return null;
        }

        // Major brand at 8, minor version at 12, compatible brands from 16 to the end of the box.
        int end = Math.Min(head.Length, (int)Math.Clamp(BinaryPrimitives.ReadUInt32BigEndian(head), 16u, 4096u));
        var brands = new List<string> { System.Text.Encoding.ASCII.GetString(head[8..12]) };
        for (int at = 16; at + 4 <= end; at += 4)
        {
            brands.Add(System.Text.Encoding.ASCII.GetString(head[at..(at + 4)]));
        }

        if (brands.Any(b => b is "avif" or "avis")) return ("AVIF", true);
        if (brands.Any(b => b is "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" or "hevm" or "hevs" or "mif1" or "msf1")) return ("HEIF", true);
        if (brands[0] == "crx ") return ("Canon CR3 raw", true);
        if (brands[0] == "qt  ") return ("a QuickTime movie", false);
        if (brands[0].StartsWith("3g", StringComparison.Ordinal)) return ("a 3GPP video", false);
        if (brands[0] is "M4A " or "M4B " or "M4P ") return ("an MPEG-4 audio file", false);
        return ($"an MP4 video (brand '{brands[0].TrimEnd()}')", false);
    }

    private static bool Starts(ReadOnlySpan<byte> head, ReadOnlySpan<byte> signature) => head.StartsWith(signature);

    /// <summary>
    /// True for the formats SkiaSharp is given: those whose codecs check a claimed size against the data. (Its icon
    /// codec does not and aborts the process; icons are unwrapped by <see cref="IconImage"/>.)
    /// </summary>
    public static bool IsDecodable(string format) => format is "JPEG" or "PNG" or "GIF" or "BMP" or "WebP";
}
