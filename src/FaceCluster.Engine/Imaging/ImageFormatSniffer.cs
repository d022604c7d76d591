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
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)) return "HEIF/AVIF";
        if (Starts(head, [0x00, 0x00, 0x01, 0x00])) return "ICO";
        if (Starts(head, "8BPS"u8)) return "PSD";
        if (Starts(head, [0xFF, 0x0A]) || Starts(head, [0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L'])) return "JPEG XL";
        if (Starts(head, [0, 0, 0, 0x0C, (byte)'j', (byte)'P'])) return "JPEG 2000";
        return null;
    }

    private static bool Starts(ReadOnlySpan<byte> head, ReadOnlySpan<byte> signature) => head.StartsWith(signature);

    /// <summary>True for the formats this build of SkiaSharp decodes.</summary>
    public static bool IsDecodable(string format) => format is "JPEG" or "PNG" or "GIF" or "BMP" or "WebP" or "ICO";
}
