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
    public static string Of(StringBuilder text) => Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
}
