using FaceCluster.Engine.Export;
using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.People;

/// <summary>
/// Makes corrections to the people of one export (Rename-FaceCluster, Merge-FaceCluster, Remove-FaceClusterMember):
/// checks each against the export's faces.json and adds it to corrections.json, which the next
/// <c>Invoke-FaceCluster -Previous</c> applies. Nothing else in the folder changes. Holds the export's
/// <see cref="ExportLock"/> from <see cref="Open"/> until disposed, so no other writer of the folder (an export, another
/// correction, a clustering recording its corrections) comes between its read and its write.
/// </summary>
public sealed class CorrectionBook : IDisposable
{
    private readonly FaceManifest _manifest;
    private readonly ExportLock _lock;

    private CorrectionBook(string folder, FaceManifest manifest, PersonCorrections corrections, ExportLock folderLock)
    {
        Folder = folder;
        _manifest = manifest;
        Corrections = corrections;
        _lock = folderLock;
    }

    public string Folder { get; }

    /// <summary>The corrections, with those made since <see cref="Open"/>.</summary>
    public PersonCorrections Corrections { get; private set; }

    /// <summary>Takes the lock of the export in <paramref name="folder"/> (waiting up to <paramref name="lockTimeout"/>,
    /// default <see cref="ExportLock.DefaultTimeout"/>) and reads it.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no faces.json.</exception>
    /// <exception cref="ExportRefusedException">Another writer holds the export's lock (<see cref="ExportRefusal.Locked"/>).</exception>
    /// <exception cref="InvalidDataException">faces.json or corrections.json is damaged, not ours or too new.</exception>
    public static CorrectionBook Open(string folder, TimeSpan? lockTimeout = null)
    {
        string manifestPath = Path.Combine(folder, FaceManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"'{folder}' holds no {FaceManifest.FileName}: it is not a FaceCluster export.", manifestPath);
        }

        ExportLock folderLock = ExportLock.Acquire(folder, lockTimeout ?? ExportLock.DefaultTimeout);
        try
        {
            FaceManifest manifest;
            try
            {
                manifest = FaceManifest.Read(manifestPath);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{manifestPath}': {e.Message}", e);
            }

            return new CorrectionBook(folder, manifest, PersonCorrections.Load(folder), folderLock);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>Ids of the export's people, lowest first, each with its name (a correction's, else faces.json's).</summary>
    public IReadOnlyList<(int Id, string? Name)> People => PeopleOf(_manifest, Corrections);

    /// <summary><see cref="People"/> of the export in <paramref name="folder"/>, read without its lock (for completion).</summary>
    /// <exception cref="InvalidDataException">faces.json or corrections.json is damaged, not ours or too new.</exception>
    public static IReadOnlyList<(int Id, string? Name)> ReadPeople(string folder) =>
        PeopleOf(FaceManifest.Read(Path.Combine(folder, FaceManifest.FileName)), PersonCorrections.Load(folder));

    private static (int Id, string? Name)[] PeopleOf(FaceManifest manifest, PersonCorrections corrections) =>
        manifest.Clusters.Where(c => c.Id >= 0).OrderBy(c => c.Id)
            .Select(c => (c.Id, corrections.Names.FirstOrDefault(n => n.Id == c.Id)?.Name ?? c.Name)).ToArray();

    /// <summary>Names person <paramref name="id"/>.</summary>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    /// <exception cref="ArgumentException">The name leaves no usable folder name.</exception>
    public PersonNameCorrection Rename(int id, string name)
    {
        RequirePerson(id);
        string trimmed = name?.Trim() ?? "";
        if (PersonFolderName.From(trimmed) is null)
        {
            throw new ArgumentException($"The name '{name}' leaves no usable folder name.", nameof(name));
        }

        Corrections = Corrections.WithName(id, trimmed);
        return new PersonNameCorrection(id, trimmed);
    }

    /// <summary>Merges person <paramref name="id"/> into <paramref name="into"/>.</summary>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    /// <exception cref="ArgumentException">The two are one.</exception>
    public PersonMergeCorrection Merge(int id, int into)
    {
        RequirePerson(id);
        RequirePerson(into);
        if (id == into)
        {
            throw new ArgumentException(FormattableString.Invariant($"Person {id} cannot be merged into itself."), nameof(into));
        }

        Corrections = Corrections.WithMerge(id, into);
        return new PersonMergeCorrection(id, into);
    }

    /// <summary>
    /// Takes the faces of <paramref name="photo"/> (a source photo, or the copy in the export) out of person
    /// <paramref name="id"/>: face <paramref name="faceIndex"/>, or every face of the photo in that person when null.
    /// </summary>
    /// <exception cref="PersonNotFoundException">No such person, or the person holds no such face.</exception>
    public IReadOnlyList<FaceRemovalCorrection> Remove(int id, string photo, int? faceIndex)
    {
        RequirePerson(id);
        string full = Path.GetFullPath(photo);
        var removals = _manifest.Faces
            .Where(f => f.ClusterId == id && (faceIndex is null || f.FaceIndex == faceIndex)
                && (PathComparison.Comparer.Equals(f.Path, full)
                    || PathComparison.Comparer.Equals(Path.GetFullPath(Path.Combine(Folder, f.Destination)), full)))
            .Select(f => new FaceRemovalCorrection(id, f.Path, f.FaceIndex))
            .ToArray();
        if (removals.Length == 0)
        {
            throw new PersonNotFoundException(FormattableString.Invariant(
                $"Person {id} holds no face{(faceIndex is int i ? $" {i}" : "")} of '{photo}' in this export."));
        }

        foreach (FaceRemovalCorrection removal in removals)
        {
            Corrections = Corrections.WithRemoval(removal);
        }

        return removals;
    }

    /// <summary>Writes corrections.json atomically.</summary>
    public void Save() => Corrections.Save(Folder);

    /// <summary>Releases the export's lock.</summary>
    public void Dispose() => _lock.Dispose();

    private void RequirePerson(int id)
    {
        if (!_manifest.Clusters.Any(c => c.Id == id && id >= 0))
        {
            throw new PersonNotFoundException(FormattableString.Invariant($"The export in '{Folder}' has no person {id}."));
        }
    }
}
