using FaceCluster.Engine.FileSystem;
using FaceCluster.Model;

namespace FaceCluster.Engine.People;

/// <summary>
/// Turns a person's name into a folder name valid on Windows, Linux and macOS alike (<see cref="PortableFileName"/>),
/// and gives each named person a folder of their own, clear of the files and folders the export writes for itself.
/// </summary>
public static class PersonFolderName
{
    private const int MaxLength = 100;

    /// <summary>
    /// Names in the export folder that no person's folder takes, ignoring case: the export's own files and folders
    /// (faces.json, corrections.json, index.html, review, .facecluster.lock, and representative.jpg, which is a person
    /// folder's own) and the doubtful folder.
    /// </summary>
    public static IReadOnlyList<string> ExportOwnedNames { get; } =
    [
        FaceGroup.DoubtfulLabel, Export.FaceManifest.FileName, Export.ExportLock.FileName, PersonCorrections.FileName,
        Review.ReviewSite.IndexFileName, Review.ReviewSite.FolderName, Export.ExportPlanner.RepresentativeFileName,
    ];

    /// <summary>
    /// <paramref name="name"/> as a folder name: characters Windows forbids (<c>&lt;&gt;:"/\|?*</c>, control
    /// characters and lone surrogates) become <c>_</c>, the name goes to NFC, leading and trailing spaces and trailing
    /// dots go, a leading dot becomes <c>_</c>, a Windows device name (CON, COM1, LPT¹, …, with or without an
    /// extension) gets a trailing <c>_</c>, and the result is cut, between whole characters, to 100 UTF-16 units and
    /// 255 bytes of UTF-8. A name with nothing left (or <c>.</c> / <c>..</c>) gives null.
    /// </summary>
    public static string? From(string? name)
    {
        if (name is null)
        {
            return null;
        }

        string folder = PortableFileName.Fit(PortableFileName.Clean(name).Trim(), maxUnits: MaxLength).TrimEnd('.', ' ');
        if (folder.StartsWith('.'))
        {
            folder = "_" + folder[1..]; // hidden on Linux and macOS, and the export's temporaries start with a dot
        }

        if (folder.Length == 0 || folder.All(c => c == '_'))
        {
            return null;
        }

        return PortableFileName.Fit(PortableFileName.AvoidDeviceName(folder), maxUnits: MaxLength);
    }

    /// <summary>
    /// The folder (label) of each person, by id: <c>cluster_N</c> when unnamed; else the name's folder name
    /// (<see cref="From"/>), with " (2)", " (3)", … added where it would clash, ignoring case and Unicode
    /// normalisation, with another person's folder or one of <see cref="ExportOwnedNames"/> (the name cut further
    /// where the number would not fit). Unnamed people keep <c>cluster_N</c> in any case; named ones are served in id
    /// order, so the result does not depend on the order given.
    /// </summary>
    public static IReadOnlyDictionary<int, string> Assign(IEnumerable<(int Id, string? Name)> people)
    {
        var list = people.OrderBy(p => p.Id).ToArray();
        var labels = new Dictionary<int, string>();
        var taken = new HashSet<string>(ExportOwnedNames, PortableFileName.Comparer);
        foreach (var (id, name) in list)
        {
            if (From(name) is null)
            {
                labels[id] = FaceGroup.ClusterLabel(id);
                taken.Add(labels[id]);
            }
        }

        foreach (var (id, name) in list)
        {
            if (From(name) is not { } folder)
            {
                continue;
            }

            string label = folder;
            for (int n = 2; !taken.Add(label); n++)
            {
                label = PortableFileName.Fit(folder, FormattableString.Invariant($" ({n})"));
            }

            labels[id] = label;
        }

        return labels;
    }
}
