using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Gives each photo of one folder a file name that no other photo of that folder uses. Photos are taken in ordinal order
/// of their full source paths; each keeps its own file name, made valid everywhere (<see cref="PortableFileName"/>:
/// forbidden characters become <c>_</c>, NFC, no trailing dot or space, <c>CON.jpg</c> → <c>CON_.jpg</c>), unless an
/// earlier one took it (compared ignoring case and Unicode normalisation, as on Windows and macOS), in which case it
/// becomes <c>name (2).ext</c>, <c>name (3).ext</c>, … — the name cut between whole characters where the name or
/// its number would pass 255 bytes or 255 UTF-16 units. So the same set of photos always gets the same names,
/// whatever order they were given in.
/// </summary>
internal static class PhotoNameAssigner
{
    /// <summary>Longest extension (UTF-8 bytes) kept whole when a name must be cut; a longer one is cut as the stem.</summary>
    private const int MaxExtensionBytes = PortableFileName.MaxBytes / 2;

    /// <param name="sourcePaths">Distinct full source paths.</param>
    /// <param name="reservedNames">Names the folder needs for itself (e.g. representative.jpg).</param>
    /// <returns>Source path to file name, for every source.</returns>
    public static IReadOnlyDictionary<string, string> Assign(IEnumerable<string> sourcePaths, IEnumerable<string> reservedNames)
    {
        var used = new HashSet<string>(reservedNames, PortableFileName.Comparer);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sourcePaths.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var fileName = PortableFileName.Clean(Path.GetFileName(source)).TrimEnd('.', ' ');
            if (fileName.Length == 0)
                fileName = "_";
            if (AtomicFile.IsTemporaryName(fileName))
                fileName = "_" + fileName; // never look like one of our temporaries (those get deleted)
            fileName = PortableFileName.AvoidDeviceName(fileName);
            var extension = Path.GetExtension(fileName);
            if (System.Text.Encoding.UTF8.GetByteCount(extension) > MaxExtensionBytes)
                extension = "";
            var stem = fileName[..^extension.Length];
            var candidate = PortableFileName.Fit(stem, extension);
            for (var n = 2; !used.Add(candidate); n++)
                candidate = PortableFileName.Fit(stem, FormattableString.Invariant($" ({n}){extension}"));
            names.Add(source, candidate);
        }
        return names;
    }
}
