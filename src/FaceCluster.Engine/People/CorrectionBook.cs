using FaceCluster.Engine.Export;
using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.People;

/// <summary>
/// Makes corrections to the people of one export (Rename-FaceCluster, Merge-FaceCluster, Remove-FaceClusterMember,
/// Move-FaceClusterMember, Split-FaceCluster, Hide-FaceClusterMember, Undo-FaceClusterCorrection): checks each against the export's faces.json and adds it to corrections.json, which the next
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

        Corrections = Corrections.WithName(id, trimmed, DateTimeOffset.UtcNow);
        return Corrections.Names.First(n => n.Id == id);
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

        Corrections = Corrections.WithMerge(id, into, DateTimeOffset.UtcNow);
        return Corrections.Merges.First(m => m.Id == id && m.Into == into);
    }

    /// <summary>
    /// Takes the faces of <paramref name="photo"/> (a source photo, or the copy in the export) out of person
    /// <paramref name="id"/>: face <paramref name="faceIndex"/>, or every face of the photo in that person when null.
    /// </summary>
    /// <exception cref="PersonNotFoundException">No such person, or the person holds no such face.</exception>
    public IReadOnlyList<FaceRemovalCorrection> Remove(int id, string photo, int? faceIndex)
    {
        RequirePerson(id);
        DateTimeOffset made = DateTimeOffset.UtcNow;
        var removals = FacesOf(photo, faceIndex).Where(f => f.ClusterId == id)
            .Select(f => new FaceRemovalCorrection(id, f.Path, f.FaceIndex) { ContentKey = PreviousExport.ContentKeyOf(f.Path), Made = made })
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

    /// <summary>The id the next new person takes: never used by the export or its corrections.</summary>
    public int NewPersonId => new[] { Corrections.NextPersonId }
        .Concat(_manifest.Clusters.Select(c => c.Id + 1))
        .Concat(Corrections.Names.Select(n => n.Id + 1))
        .Concat(Corrections.Merges.SelectMany(m => new[] { m.Id + 1, m.Into + 1 }))
        .Concat(Corrections.Removals.Select(r => r.Id + 1))
        .Concat(Corrections.Moves.Select(m => m.Into + 1))
        .Max();

    /// <summary>
    /// Moves the faces of <paramref name="photo"/> (a source photo, or a copy in the export), face
    /// <paramref name="faceIndex"/> or every face of it when null, into person <paramref name="into"/>: a person of the
    /// export, a new person an earlier move made, or (with <paramref name="newPerson"/>) <see cref="NewPersonId"/>, which
    /// this makes. Faces already in <paramref name="into"/> are left as they are.
    /// </summary>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    /// <exception cref="FaceNotFoundException">The export holds no such face.</exception>
    /// <exception cref="ArgumentException">Every face is in <paramref name="into"/> already.</exception>
    public IReadOnlyList<FaceMoveCorrection> Move(string photo, int? faceIndex, int into, bool newPerson = false)
    {
        bool made = newPerson && into == NewPersonId;
        if (!made && !Corrections.Moves.Any(m => m.Into == into))
        {
            RequirePerson(into);
        }

        FaceManifestFace[] faces = FacesOf(photo, faceIndex);
        if (faces.Length == 0)
        {
            throw new FaceNotFoundException(FormattableString.Invariant(
                $"The export in '{Folder}' holds no face{(faceIndex is int i ? $" {i}" : "")} of '{photo}'."));
        }

        return MoveFaces(faces, into, made, $"'{photo}'");
    }

    /// <summary>Makes the faces of <paramref name="photos"/> in person <paramref name="id"/> a new person (<see cref="NewPersonId"/>).</summary>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    /// <exception cref="FaceNotFoundException">The person holds no face of one of the photos.</exception>
    public IReadOnlyList<FaceMoveCorrection> Split(int id, IEnumerable<string> photos)
    {
        RequirePerson(id);
        var faces = new List<FaceManifestFace>();
        foreach (string photo in photos)
        {
            FaceManifestFace[] found = FacesOf(photo, null).Where(f => f.ClusterId == id).ToArray();
            if (found.Length == 0)
            {
                throw new FaceNotFoundException(FormattableString.Invariant($"Person {id} holds no face of '{photo}' in this export."));
            }

            faces.AddRange(found.Where(f => !faces.Contains(f)));
        }

        return MoveFaces([.. faces], NewPersonId, made: true, FormattableString.Invariant($"person {id}"));
    }

    /// <summary>Hides the faces of <paramref name="photo"/>: face <paramref name="faceIndex"/>, or every face of it when null.</summary>
    /// <exception cref="FaceNotFoundException">The export holds no such face.</exception>
    public IReadOnlyList<FaceHideCorrection> Hide(string photo, int? faceIndex)
    {
        FaceManifestFace[] faces = FacesOf(photo, faceIndex);
        if (faces.Length == 0)
        {
            throw new FaceNotFoundException(FormattableString.Invariant(
                $"The export in '{Folder}' holds no face{(faceIndex is int i ? $" {i}" : "")} of '{photo}'."));
        }

        DateTimeOffset made = DateTimeOffset.UtcNow;
        var hides = faces.Select(f => new FaceHideCorrection(f.Path, f.FaceIndex) { ContentKey = PreviousExport.ContentKeyOf(f.Path), Made = made }).ToArray();
        foreach (FaceHideCorrection hide in hides)
        {
            Corrections = Corrections.WithHide(hide);
        }

        return hides;
    }

    /// <summary>Takes back <paramref name="entry"/>, an entry of corrections.json (<see cref="FaceClusterCorrection.Entry"/>).</summary>
    /// <exception cref="CorrectionNotFoundException">corrections.json does not hold it (now).</exception>
    public void Undo(object entry) =>
        Corrections = Corrections.Without(entry)
            ?? throw new CorrectionNotFoundException($"{PersonCorrections.FileName} in '{Folder}' holds no such correction (now): {entry}.");

    /// <summary>Writes corrections.json atomically.</summary>
    public void Save() => Corrections.Save(Folder);

    /// <summary>Releases the export's lock.</summary>
    public void Dispose() => _lock.Dispose();

    private FaceMoveCorrection[] MoveFaces(FaceManifestFace[] faces, int into, bool made, string what)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var moves = faces.Where(f => f.ClusterId != into)
            .Select(f => new FaceMoveCorrection(f.ClusterId, f.Path, f.FaceIndex, into) { ContentKey = PreviousExport.ContentKeyOf(f.Path), Made = now })
            .ToArray();
        if (moves.Length == 0)
        {
            throw new ArgumentException(FormattableString.Invariant($"The faces of {what} are in person {into} already."), nameof(into));
        }

        foreach (FaceMoveCorrection move in moves)
        {
            Corrections = Corrections.WithMove(move);
        }

        if (made)
        {
            Corrections = Corrections with { NextPersonId = Math.Max(Corrections.NextPersonId, into + 1) };
        }

        return moves;
    }

    /// <summary>The faces of <paramref name="photo"/> (a source photo or a copy in the export), all or face <paramref name="faceIndex"/>.</summary>
    private FaceManifestFace[] FacesOf(string photo, int? faceIndex)
    {
        string full = Path.GetFullPath(photo);
        return _manifest.Faces
            .Where(f => (faceIndex is null || f.FaceIndex == faceIndex)
                && (PathComparison.Comparer.Equals(f.Path, full)
                    || PathComparison.Comparer.Equals(Path.GetFullPath(Path.Combine(Folder, f.Destination)), full)))
            .ToArray();
    }

    private void RequirePerson(int id)
    {
        if (!_manifest.Clusters.Any(c => c.Id == id && id >= 0))
        {
            throw new PersonNotFoundException(FormattableString.Invariant($"The export in '{Folder}' has no person {id}."));
        }
    }
}
