using System.Text;
using FaceCluster.Model;

namespace FaceCluster.Engine.People;

/// <summary>
/// Turns a person's name into a folder name valid on Windows, Linux and macOS alike, and gives each named person a
/// folder of their own. Hand-written: .NET's <see cref="Path.GetInvalidFileNameChars"/> gives only the running
/// platform's rules.
/// </summary>
public static class PersonFolderName
{
    private const int MaxLength = 100;

    private static readonly string[] ReservedDeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>
    /// <paramref name="name"/> as a folder name: characters Windows forbids (<c>&lt;&gt;:"/\|?*</c> and control
    /// characters) become <c>_</c>, leading and trailing spaces and trailing dots go, a leading dot becomes <c>_</c>, a Windows device name (CON,
    /// LPT1, …, with or without an extension) gets a trailing <c>_</c>, and the result is cut to 100 characters.
    /// A name with nothing left (or <c>.</c> / <c>..</c>) gives null.
    /// </summary>
    public static string? From(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var builder = new StringBuilder(name.Length);
        foreach (char c in name.Normalize(NormalizationForm.FormC))
        {
            builder.Append(char.IsControl(c) || "<>:\"/\\|?*".Contains(c) ? '_' : c);
        }

        string folder = builder.ToString().Trim();
        if (folder.Length > MaxLength)
        {
            folder = folder[..MaxLength];
            if (char.IsHighSurrogate(folder[^1]))
            {
                folder = folder[..^1];
            }
        }

        folder = folder.TrimEnd('.', ' ');
        if (folder.StartsWith('.'))
        {
            folder = "_" + folder[1..]; // hidden on Linux and macOS, and the export's temporaries start with a dot
        }

        if (folder.Length == 0 || folder.All(c => c == '_'))
        {
            return null;
        }

        string stem = folder.Split('.')[0].TrimEnd(' ');
        return ReservedDeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase) ? stem + "_" + folder[stem.Length..] : folder;
    }

    /// <summary>
    /// The folder (label) of each person, by id: <c>cluster_N</c> when unnamed; else the name's folder name
    /// (<see cref="From"/>), with " (2)", " (3)", … added where it would clash, ignoring case, with another person's
    /// folder, the doubtful folder or a file the export writes. Unnamed people keep <c>cluster_N</c> in any case;
    /// named ones are served in id order, so the result does not depend on the order given.
    /// </summary>
    public static IReadOnlyDictionary<int, string> Assign(IEnumerable<(int Id, string? Name)> people)
    {
        var list = people.OrderBy(p => p.Id).ToArray();
        var labels = new Dictionary<int, string>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            FaceGroup.DoubtfulLabel, Export.FaceManifest.FileName, Export.ExportLock.FileName, PersonCorrections.FileName,
        };
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
                label = FormattableString.Invariant($"{folder} ({n})");
            }

            labels[id] = label;
        }

        return labels;
    }
}
