namespace FaceCluster.Engine.Imaging;

/// <summary>
/// The file name extensions of the formats the loader decodes (<see cref="ImageLoader"/>), compared ignoring case:
/// what a folder walk takes as photos. The loader itself goes by a file's first bytes, whatever its name.
/// </summary>
public static class ImageFileExtensions
{
    /// <summary>Each extension with its dot, in lower case.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ".jpg", ".jpeg", ".jpe", ".jfif", // JPEG
        ".png", ".gif", ".bmp", ".webp",
        ".tif", ".tiff",
        ".heic", ".heif", ".hif", ".avif", // HEIF (.hif: Canon and Fujifilm cameras) and AVIF
        ".ico", ".cur",
    ];

    /// <summary>True when <paramref name="fileName"/> ends with one of <see cref="All"/>, in any case.</summary>
    public static bool IsImageName(ReadOnlySpan<char> fileName)
    {
        ReadOnlySpan<char> extension = Path.GetExtension(fileName);
        foreach (string known in All)
        {
            if (extension.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
