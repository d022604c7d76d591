using System.Security.Cryptography;
using System.Text;

namespace FaceCluster.Engine.Review;

/// <summary>The fingerprint of a page's inputs (<see cref="ReviewFile.Inputs"/>): its fields, each with its length so
/// that no two lists of fields read the same, hashed with SHA-256.</summary>
internal static class ReviewPageInputs
{
    /// <summary>Appends one field (null: none) to <paramref name="text"/>.</summary>
    public static void Field(StringBuilder text, string? value) => text.Append(value?.Length ?? -1).Append(':').Append(value).Append('\n');

    /// <summary>The fingerprint of the fields in <paramref name="text"/> (base64 SHA-256 of their UTF-8).</summary>
    public static string Of(StringBuilder text)
    {
        // Chunk by chunk through one encoder: the bytes of the whole text, without copying it into one string first.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var encoder = System.Text.Encoding.UTF8.GetEncoder();
        var buffer = new byte[16 * 1024];
        foreach (var chunk in text.GetChunks())
        {
            var size = System.Text.Encoding.UTF8.GetMaxByteCount(chunk.Length);
            if (buffer.Length < size)
                buffer = new byte[size];
            hash.AppendData(buffer, 0, encoder.GetBytes(chunk.Span, buffer, flush: false));
        }
        hash.AppendData(buffer, 0, encoder.GetBytes([], buffer, flush: true));
        return Convert.ToBase64String(hash.GetHashAndReset());
    }
}
