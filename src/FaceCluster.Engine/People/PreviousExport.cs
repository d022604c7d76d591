using FaceCluster.Engine.Export;
using FaceCluster.Engine.FileSystem;
using FaceCluster.Engine.Store;
using FaceCluster.Model;

namespace FaceCluster.Engine.People;

/// <summary>
/// An earlier export read for <c>Invoke-FaceCluster -Previous</c>: its faces.json, its corrections.json, and what a
/// person did to the folder since, turned into corrections so that later runs keep them:
/// <list type="bullet">
/// <item>a person's folder missing and a new folder holding most of the photos exported into it: the person was
/// renamed to that folder's name;</item>
/// <item>a photo exported into a person's folder missing (the export was complete): that face is not that person.</item>
/// </list>
/// A person's folder missing with no renamed folder found is reported and changes nothing.
/// </summary>
public sealed class PreviousExport
{
    /// <summary>The export folder.</summary>
    public required string Folder { get; init; }

    /// <summary>The earlier faces.json; null when the folder has none yet (a first run).</summary>
    public FaceManifest? Manifest { get; init; }

    /// <summary>corrections.json as it was read.</summary>
    public required PersonCorrections ReadCorrections { get; init; }

    /// <summary>The corrections as read, plus those found in the folder.</summary>
    public required PersonCorrections Corrections { get; init; }

    /// <summary>True when <see cref="Corrections"/> differ from the folder's corrections.json (so they are worth saving).</summary>
    public bool CorrectionsChanged => !Corrections.SameAs(ReadCorrections);

    /// <summary>What was found (recorded corrections, folders missing).</summary>
    public required IReadOnlyList<PeopleNotice> Notices { get; init; }

    /// <summary>Photos of <see cref="Manifest"/> found under a new path by <see cref="Relocate"/>: old path, new path.</summary>
    public IReadOnlyDictionary<string, string> PhotosFollowed { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Reads the export in <paramref name="path"/> (its folder or its faces.json). A folder without faces.json (or no
    /// folder at all) is an export not made yet: no people, the corrections it has.
    /// </summary>
    /// <exception cref="InvalidDataException">faces.json or corrections.json is damaged, not ours or too new.</exception>
    public static PreviousExport Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string folder = File.Exists(full) ? Path.GetDirectoryName(full)! : full;
        string manifestPath = File.Exists(full) ? full : Path.Combine(folder, FaceManifest.FileName);
        PersonCorrections saved = Directory.Exists(folder) ? PersonCorrections.Load(folder) : PersonCorrections.Empty;
        if (!File.Exists(manifestPath))
        {
            return new PreviousExport { Folder = folder, ReadCorrections = saved, Corrections = saved, Notices = [] };
        }

        FaceManifest manifest;
        try
        {
            manifest = FaceManifest.Read(manifestPath);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{manifestPath}': {e.Message}", e);
        }

        var notices = new List<PeopleNotice>();
        PersonCorrections corrections = FindFolderChanges(folder, manifest, saved, notices);
        return new PreviousExport
        {
            Folder = folder,
            Manifest = manifest,
            ReadCorrections = saved,
            Corrections = corrections,
            Notices = notices,
        };
    }

    /// <summary>
    /// This export with each face correction whose photo is gone following the photo of this run's
    /// <paramref name="photos"/>, new to the export, that has its content key (moved or renamed in the library; <see cref="PersonCorrections.Relocate"/>),
    /// and the earlier faces of such a photo under its new path (<see cref="PhotosFollowed"/>), so the face keeps its person too. Each photo followed
    /// is reported once (<c>CorrectionFollowedPhoto</c>); the corrections are saved with the new path by <see cref="Save"/>.
    /// </summary>
    public PreviousExport Relocate(IEnumerable<string> photos, List<PeopleNotice> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var moved = new Dictionary<string, string>(PathComparison.Comparer);
        PersonCorrections corrections = Corrections.Relocate(photos, Manifest?.Faces.Select(f => f.Path) ?? [], ContentKeyOf, moved);
        if (moved.Count == 0)
        {
            return this;
        }

        foreach ((string from, string to) in moved)
        {
            notices.Add(new("CorrectionFollowedPhoto", $"'{from}' is gone and '{to}' has the same content: its corrections follow it."));
        }

        return new PreviousExport
        {
            Folder = Folder,
            Manifest = Manifest,
            ReadCorrections = ReadCorrections,
            Corrections = corrections,
            Notices = Notices,
            PhotosFollowed = moved,
        };
    }

    /// <summary>The photo's <see cref="PhotoContentKey"/> in hex; null when it cannot be read.</summary>
    internal static string? ContentKeyOf(string path)
    {
        try
        {
            return Convert.ToHexString(PhotoContentKey.Of(path)).ToLowerInvariant();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Imaging.ImageDecodeException)
        {
            return null;
        }
    }

    /// <summary>The history this export gives a new clustering (<see cref="PersonHistory.Resolve"/>).</summary>
    public PersonHistory History(List<PeopleNotice> notices) => PersonHistory.Resolve(Manifest, Corrections, notices, PhotosFollowed);

    /// <summary>
    /// The corrections after a clustering that gave <paramref name="groups"/>: <see cref="Corrections"/>, the next
    /// unused id, and each correction whose subject left retired with one notice in <paramref name="notices"/>: a
    /// named person in no group (<c>NamedPersonGone</c>), a face taken out of a person, moved or hidden whose photo is
    /// gone (<c>CorrectionRetired</c>). A retired correction still applies should its subject come back (and is then no
    /// longer retired); it is only never reported again.
    /// </summary>
    public PersonCorrections Conclude(IReadOnlyList<FaceGroup> groups, int nextPersonId, List<PeopleNotice> notices)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(notices);
        var present = groups.SelectMany(g => g.Members).Select(m => new FaceKey(m.Face.Path, m.Face.FaceIndex)).ToHashSet(FaceKey.Comparer);
        var people = groups.Where(g => !g.IsDoubtful).ToArray();
        var earlier = Manifest?.Clusters.Where(c => c.Id >= 0).Select(c => c.Id).ToHashSet() ?? [];
        PersonNameCorrection Name(PersonNameCorrection name)
        {
            if (people.Any(g => g.Id == name.Id || string.Equals(g.Name, name.Name, StringComparison.Ordinal)))
            {
                return name with { Retired = false };
            }

            if (!name.Retired && earlier.Contains(name.Id))
            {
                notices.Add(new("NamedPersonGone", FormattableString.Invariant(
                    $"Person {name.Id} '{name.Name}' has no faces in this run (taken out, merged into another person, or the photos are gone): no folder carries the name now. {PersonCorrections.FileName} in '{Folder}' keeps it; Rename-FaceCluster gives it to another person.")));
            }

            return name with { Retired = true };
        }

        // Whether the photo of a face correction is gone, said once (when it was not retired yet).
        bool Gone(FaceKey face, bool retired, string what)
        {
            if (present.Contains(face) || File.Exists(face.Path))
            {
                return false;
            }

            if (!retired)
            {
                notices.Add(new("CorrectionRetired", FormattableString.Invariant(
                    $"Face {face.FaceIndex} of '{face.Path}' {what}, and the photo is gone: the correction is retired (said once; {PersonCorrections.FileName} keeps it should the photo come back).")));
            }

            return true;
        }

        return Corrections with
        {
            NextPersonId = Math.Max(Corrections.NextPersonId, nextPersonId),
            Names = Corrections.Names.Select(Name).ToArray(),
            Removals = Corrections.Removals.Select(r => r with { Retired = Gone(r.Face, r.Retired, FormattableString.Invariant($"was taken out of person {r.Id}")) }).ToArray(),
            Moves = Corrections.Moves.Select(m => m with { Retired = Gone(m.Face, m.Retired, FormattableString.Invariant($"was moved into person {m.Into}")) }).ToArray(),
            Hidden = Corrections.Hidden.Select(h => h with { Retired = Gone(h.Face, h.Retired, "was hidden") }).ToArray(),
        };
    }

    /// <summary>
    /// Writes <paramref name="concluded"/> (<see cref="Conclude"/>) into corrections.json under the export's
    /// <see cref="ExportLock"/>, merged into the file as it is now (<see cref="PersonCorrections.Rebase"/>): a
    /// correction made while this run clustered is kept, and reported (<c>CorrectionsChangedDuringRun</c>).
    /// </summary>
    /// <returns>Whether the file was written (nothing is written when nothing changed, or the folder is gone).</returns>
    /// <exception cref="ExportRefusedException">Another writer held the export's lock past <paramref name="lockTimeout"/>.</exception>
    /// <exception cref="InvalidDataException">corrections.json was damaged meanwhile.</exception>
    public bool Save(PersonCorrections concluded, List<PeopleNotice> notices, TimeSpan? lockTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(concluded);
        ArgumentNullException.ThrowIfNull(notices);
        if (concluded.SameAs(ReadCorrections) || !Directory.Exists(Folder))
        {
            return false;
        }

        using ExportLock folderLock = ExportLock.Acquire(Folder, lockTimeout ?? ExportLock.DefaultTimeout);
        PersonCorrections current = PersonCorrections.Load(Folder);
        if (!current.SameAs(ReadCorrections))
        {
            notices.Add(new("CorrectionsChangedDuringRun", FormattableString.Invariant(
                $"{PersonCorrections.FileName} in '{Folder}' changed while this run clustered: the corrections made meanwhile are kept and apply from the next run.")));
        }

        PersonCorrections merged = concluded.Rebase(ReadCorrections, current, PhotosFollowed);
        if (merged.SameAs(current))
        {
            return false;
        }

        merged.Save(Folder);
        return true;
    }

    private static PersonCorrections FindFolderChanges(string root, FaceManifest manifest, PersonCorrections corrections, List<PeopleNotice> notices)
    {
        var people = manifest.Clusters.Where(c => c.Id >= 0).OrderBy(c => c.Id).ToArray();
        var known = new HashSet<string>(manifest.Clusters.Select(c => c.Folder), StringComparer.OrdinalIgnoreCase);
        var strangers = Directory.EnumerateDirectories(root)
            .Select(Path.GetFileName).OfType<string>()
            .Where(name => !known.Contains(name) && !name.StartsWith('.'))
            .Order(StringComparer.Ordinal).ToList();
        var photosOf = manifest.Faces.Where(f => f.ClusterId >= 0).ToLookup(f => f.ClusterId);
        foreach (FaceManifestCluster person in people)
        {
            var faces = photosOf[person.Id].ToArray();
            string? folder = Directory.Exists(Path.Combine(root, person.Folder)) ? person.Folder : null;
            if (folder is null && faces.Length > 0)
            {
                // The stranger folder holding most of this person's exported photos, if it holds more than half.
                var files = faces.Select(f => FileName(f.Destination)).Distinct(PathComparison.Comparer).ToArray();
                var best = strangers
                    .Select(s => (Name: s, Count: files.Count(f => File.Exists(Path.Combine(root, s, f)))))
                    .Where(s => s.Count * 2 > files.Length)
                    .OrderByDescending(s => s.Count).ThenBy(s => s.Name, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (best.Name is not null)
                {
                    folder = best.Name;
                    strangers.Remove(best.Name);
                    if (PersonFolderName.From(corrections.Names.FirstOrDefault(n => n.Id == person.Id)?.Name) != best.Name)
                    {
                        corrections = corrections.WithName(person.Id, best.Name);
                        notices.Add(new("PersonFolderRenamed", FormattableString.Invariant($"The folder '{person.Folder}' of person {person.Id} is now '{best.Name}': recorded as the person's name.")));
                    }
                }
                else
                {
                    notices.Add(new("PersonFolderMissing", FormattableString.Invariant($"The folder '{person.Folder}' of person {person.Id} is missing and no renamed folder holds its photos; nothing recorded.")));
                }
            }

            if (folder is null || !manifest.Complete)
            {
                continue;
            }

            foreach (FaceManifestFace face in faces)
            {
                if (!File.Exists(Path.Combine(root, folder, FileName(face.Destination))))
                {
                    int before = corrections.Removals.Count;
                    corrections = corrections.WithRemoval(new FaceRemovalCorrection(person.Id, face.Path, face.FaceIndex));
                    if (corrections.Removals.Count > before)
                    {
                        notices.Add(new("PersonPhotoDeleted", FormattableString.Invariant($"'{face.Destination}' was deleted from person {person.Id}'s folder: face {face.FaceIndex} of '{face.Path}' is recorded as not this person.")));
                    }
                }
            }
        }

        return corrections;
    }

    private static string FileName(string destination) => destination[(destination.LastIndexOf('/') + 1)..];
}
