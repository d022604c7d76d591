using System.Buffers.Binary;
using System.Security.Cryptography;

namespace FaceCluster.Engine.Review;

/// <summary>
/// Marks the review's pages, style sheet, script and thumbnails as the export's own: each carries the SHA-256 of the rest of
/// its bytes (a page, style sheet or script in a comment on its last line, a thumbnail in a JPEG comment segment right after
/// its start marker). A file whose seal matches is one an export wrote and nobody changed since, so a later export may
/// replace or remove it; a file without a seal (the user's own) or with a broken one (edited since) is left alone.
/// The seal is kept in the file rather than in faces.json because the review is written after faces.json and a kill
/// at any point must leave every file recognisable.
/// </summary>
public static class ReviewSeal
{
    private const string Mark = "FaceCluster sha256:";
    private const int HexLength = 64;
    private static readonly byte[] JpegStart = [0xFF, 0xD8];
    private static readonly byte[] JpegComment = [0xFF, 0xFE];

    /// <summary>The page or style sheet's bytes (UTF-8) with its seal as the last line.</summary>
    public static byte[] Seal(ReviewFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var content = System.Text.Encoding.UTF8.GetBytes(file.Content.EndsWith('\n') ? file.Content : file.Content + "\n");
        var (open, close) = file.RelativePath.EndsWith(".css", StringComparison.OrdinalIgnoreCase) || file.RelativePath.EndsWith(".js", StringComparison.OrdinalIgnoreCase)
            ? ("/*", "*/") : ("<!--", "-->");
        return [.. content, .. System.Text.Encoding.ASCII.GetBytes($"{open} {Mark}{Hash(content)} {close}\n")];
    }

    /// <summary>The JPEG with a comment segment holding its seal inserted after its start marker.</summary>
    public static byte[] SealJpeg(byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (!jpeg.AsSpan().StartsWith(JpegStart))
            throw new ArgumentException("Not a JPEG.", nameof(jpeg));
        var payload = System.Text.Encoding.ASCII.GetBytes(Mark + Hash(jpeg));
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(payload.Length + 2));
        return [.. JpegStart, .. JpegComment, .. length, .. payload, .. jpeg.AsSpan(JpegStart.Length)];
    }

    /// <summary>Whether <paramref name="path"/> is a plain file (not a link) whose seal matches its content.</summary>
    public static bool IsSealed(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.LinkTarget is not null)
            return false;
        try
        {
            return IsSealed(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="path"/> is the export's to replace or remove: sealed (<see cref="IsSealed(string)"/>),
    /// or written before pages were sealed and whole: a FaceCluster page from its doctype to its closing tag, or a
    /// style sheet equal to <paramref name="styleSheet"/>. So an export made by an earlier version keeps its review
    /// up to date; a page of the user's own never has FaceCluster's head and header.</summary>
    public static bool IsExports(string path, string? styleSheet = null)
    {
        if (IsSealed(path))
            return true;
        if (new FileInfo(path) is not { Exists: true, LinkTarget: null, Length: < 64 << 20 })
            return false;
        var text = File.ReadAllText(path);
        if (text.Contains(Mark, StringComparison.Ordinal))
            return false; // sealed once, changed since
        return styleSheet is not null ? text == styleSheet
            : text.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n", StringComparison.Ordinal)
              && text.Contains(" - FaceCluster review</title>\n", StringComparison.Ordinal)
              && text.Contains(">FaceCluster review</a></header>\n", StringComparison.Ordinal)
              && text.EndsWith("</body>\n</html>\n", StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="bytes"/> carry a seal that matches them.</summary>
    public static bool IsSealed(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(JpegStart) && bytes[JpegStart.Length..].StartsWith(JpegComment) && bytes.Length >= 6)
        {
            var end = 4 + BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
            if (end > bytes.Length || !Matches(bytes[6..end], out var sealedHash))
                return false;
            return sealedHash == Hash([.. JpegStart, .. bytes[end..]]);
        }
        if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
            return false;
        var lineStart = bytes[..^1].LastIndexOf((byte)'\n') + 1;
        var line = bytes[lineStart..^1];
        var at = line.IndexOf(System.Text.Encoding.ASCII.GetBytes(Mark));
        return at >= 0 && Matches(line[at..], out var hash) && hash == Hash(bytes[..lineStart]);
    }

    /// <summary>Reads <c>Mark + hex</c> at the start of <paramref name="text"/>.</summary>
    private static bool Matches(ReadOnlySpan<byte> text, out string hash)
    {
        hash = "";
        if (text.Length < Mark.Length + HexLength || !text.StartsWith(System.Text.Encoding.ASCII.GetBytes(Mark)))
            return false;
        hash = System.Text.Encoding.ASCII.GetString(text.Slice(Mark.Length, HexLength));
        return true;
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => System.Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
