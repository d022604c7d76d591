using System.Security.Cryptography;

namespace FaceCluster.Engine.Store;

/// <summary>
/// The content key of a photo: the SHA-256 of its bytes. SHA-256 rather than a faster non-cryptographic hash
/// (XxHash128): it is in the BCL with no extra package, hardware-accelerated, and no two different files can be made
/// to share a key, so a store never serves one photo's faces for another. Hashing costs far less than decoding.
/// </summary>
public static class PhotoContentKey
{
    /// <summary>Length of a key in bytes.</summary>
    public const int Length = SHA256.HashSizeInBytes;

    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="Imaging.ImageDecodeException">The path is a folder, pipe, socket or terminal (reading a FIFO would wait forever).</exception>
    public static byte[] Of(string path)
    {
        Imaging.ImageFileReader.RefuseUnlessFile(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return SHA256.HashData(stream);
    }
}
