using System.Globalization;
using System.Security.Cryptography;
using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// The review page's face thumbnails: small square JPEG crops in <see cref="ReviewSite.ThumbnailFolder"/>, each made
/// once. A thumbnail's file name is a hash of what it shows (source path, face index, box, and the source file's size
/// and last write time), so a later export into the same folder finds and reuses it, and a photo edited since gets a
/// new one. Each carries the export's <see cref="ReviewSeal"/>, so only thumbnails an export made are ever removed.
/// </summary>
public sealed class ThumbnailStore(string outputDirectory)
{
    /// <summary>Side of a thumbnail in pixels (shown at 64 CSS pixels: sharp on a high-density screen).</summary>
    public const int Size = 128;

    public string Folder { get; } = Path.Combine(outputDirectory, ReviewSite.ThumbnailFolder);

    /// <summary>The thumbnail's file name, from the face and its source file's size and time.</summary>
    /// <exception cref="IOException">The source cannot be found.</exception>
    public static string NameFor(FaceEncoding face)
    {
        ArgumentNullException.ThrowIfNull(face);
        return NameFor(face, new FileInfo(face.Path));
    }

    /// <summary>The thumbnail's file name, from the face and <paramref name="source"/> (its photo, looked at once for
    /// all of the photo's faces).</summary>
    /// <exception cref="IOException">The source cannot be found.</exception>
    public static string NameFor(FaceEncoding face, FileInfo source)
    {
        ArgumentNullException.ThrowIfNull(face);
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Exists)
            throw new FileNotFoundException($"Cannot find '{face.Path}'.", face.Path);
        var box = face.Box;
        var key = string.Create(CultureInfo.InvariantCulture,
            $"{face.Path}\n{face.FaceIndex}\n{box.X:R},{box.Y:R},{box.Width:R},{box.Height:R}\n{face.ImageWidth}x{face.ImageHeight}\n{source.Length}\n{source.LastWriteTimeUtc.Ticks}\n{Size}");
        return Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)), 0, 16).ToLowerInvariant() + ".jpg";
    }

    /// <summary>Whether <paramref name="fileName"/> has the form of <see cref="NameFor(FaceEncoding)"/>'s names (any other file in the
    /// folder is not ours).</summary>
    public static bool IsThumbnailName(string fileName) =>
        fileName.Length == 36 && fileName.EndsWith(".jpg", StringComparison.Ordinal) && fileName.AsSpan(0, 32).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>The names of the files in the folder now, links left out (one listing of the folder, rather than a
    /// look at each thumbnail's path); empty where there is no folder.</summary>
    public HashSet<string> ListFiles() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder, "*", new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint })
            .Select(f => Path.GetFileName(f)).ToHashSet(StringComparer.Ordinal)
        : [];

    /// <summary>Makes the face's thumbnail unless it is already there.</summary>
    /// <param name="face">The face.</param>
    /// <param name="files">The folder's files (<see cref="ListFiles"/>): a name among them is there, not looked at again.</param>
    /// <returns>The file name and whether it was made now (false: reused).</returns>
    /// <exception cref="IOException">The source cannot be read, or the thumbnail cannot be written.</exception>
    /// <exception cref="InvalidDataException">The source cannot be decoded.</exception>
    public (string Name, bool Made) Ensure(FaceEncoding face, IReadOnlySet<string>? files = null) => Ensure(face, NameFor(face), files);

    /// <summary>Makes the face's thumbnail, named <paramref name="name"/> (<see cref="NameFor(FaceEncoding, FileInfo)"/>),
    /// unless it is already there: see <see cref="Ensure(FaceEncoding, IReadOnlySet{string}?)"/>.</summary>
    public (string Name, bool Made) Ensure(FaceEncoding face, string name, IReadOnlySet<string>? files)
    {
        if (files?.Contains(name) == true)
            return (name, false);
        var path = Path.Combine(Folder, name);
        switch (ExportLinks.Entry(path))
        {
            case FileInfo { LinkTarget: null }:
                return (name, false);
            case { } other:
                throw new IOException(ExportLinks.IsLink(path) ? ExportLinks.LeftAlone(path, "a thumbnail the export made") : $"'{other.FullName}' is not a thumbnail the export made; left untouched.");
        }
        Directory.CreateDirectory(Folder);
        try
        {
            AtomicFile.WriteAllBytes(path, ReviewSeal.SealJpeg(FaceCropWriter.CreateJpeg(face, Size)), overwrite: false);
        }
        catch (IOException) when (ExportLinks.Entry(path) is FileInfo { LinkTarget: null })
        {
            return (name, false); // made meanwhile by another face with the same key
        }
        return (name, true);
    }
}
