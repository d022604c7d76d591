namespace FaceCluster.Engine.Export;

/// <summary>
/// Gives each photo of one folder a file name that no other photo of that folder uses. Photos are taken in ordinal order
/// of their full source paths; each keeps its own file name unless an earlier one took it (compared case-insensitively,
/// as on Windows and macOS), in which case it becomes <c>name (2).ext</c>, <c>name (3).ext</c>, … — so the same set of
/// photos always gets the same names, whatever order they were given in.
/// </summary>
internal static class PhotoNameAssigner
{
    /// <param name="sourcePaths">Distinct full source paths.</param>
    /// <param name="reservedNames">Names the folder needs for itself (e.g. representative.jpg).</param>
    /// <returns>Source path to file name, for every source.</returns>
    public static IReadOnlyDictionary<string, string> Assign(IEnumerable<string> sourcePaths, IEnumerable<string> reservedNames)
    {
        var used = new HashSet<string>(reservedNames, StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sourcePaths.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(source);
            if (AtomicFile.IsTemporaryName(fileName))
                fileName = "_" + fileName; // never look like one of our temporaries (those get deleted)
            var stem = Path.GetFileNameWithoutExtension(fileName);
            var extension = Path.GetExtension(fileName);
            var candidate = fileName;
            for (var n = 2; !used.Add(candidate); n++)
                candidate = FormattableString.Invariant($"{stem} ({n}){extension}");
            names.Add(source, candidate);
        }
        return names;
    }
}
