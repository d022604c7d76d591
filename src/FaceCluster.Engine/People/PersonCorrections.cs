using System.Text.Json;
using System.Text.Json.Serialization;
using FaceCluster.Engine.Export;

namespace FaceCluster.Engine.People;

/// <summary>
/// corrections.json, kept beside an export: what a person decided about the people in it (names, merges, faces that
/// are not a person, faces moved into a person, faces hidden) and the next unused person id. Written by the correction
/// cmdlets (through <see cref="CorrectionBook"/>) and by Invoke-FaceCluster -Previous (which records what it saw done to the folder);
/// read by Invoke-FaceCluster -Previous, which applies it as constraints. Small, indented, camelCase JSON.
/// </summary>
public sealed record PersonCorrections
{
    public const string FileName = "corrections.json";

    /// <summary>Schema version this build writes and the newest it reads.</summary>
    public const int CurrentSchemaVersion = 1;

    public string Tool { get; init; } = FaceManifest.ToolName;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The smallest person id never used in this export (ids of merged or vanished people are not reused).</summary>
    public int NextPersonId { get; init; }

    /// <summary>Names, one per person (the latest wins).</summary>
    public IReadOnlyList<PersonNameCorrection> Names { get; init; } = [];

    /// <summary>Merges, in the order they were made.</summary>
    public IReadOnlyList<PersonMergeCorrection> Merges { get; init; } = [];

    /// <summary>Faces taken out of a person.</summary>
    public IReadOnlyList<FaceRemovalCorrection> Removals { get; init; } = [];

    /// <summary>Faces moved into a person (one per face: the latest wins). Absent from files written before moves.</summary>
    public IReadOnlyList<FaceMoveCorrection> Moves { get; init; } = [];

    /// <summary>Faces that are not faces or are ignored (one per face). Absent from files written before hiding.</summary>
    public IReadOnlyList<FaceHideCorrection> Hidden { get; init; } = [];

    public static PersonCorrections Empty { get; } = new();

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly JsonSerializerOptions DescribeOptions = new(SerializerOptions) { WriteIndented = false };

    /// <summary>The members each entry of each list must have (the serializer would default a missing one).</summary>
    private static readonly (string List, string[] Members)[] Required =
    [
        ("names", ["id", "name"]),
        ("merges", ["id", "into"]),
        ("removals", ["id", "path", "faceIndex"]),
        ("moves", ["id", "path", "faceIndex", "into"]),
        ("hidden", ["path", "faceIndex"]),
    ];

    private const string Remedy = "Correct or delete that entry in a text editor (or delete the file, which forgets every correction), then run the command again.";

    /// <summary>This set with person <paramref name="id"/> named <paramref name="name"/> (replacing an earlier name).</summary>
    public PersonCorrections WithName(int id, string name, DateTimeOffset? made = null) =>
        this with { Names = Names.Where(n => n.Id != id).Append(new PersonNameCorrection(id, name) { Made = made }).OrderBy(n => n.Id).ToArray() };

    /// <summary>This set with person <paramref name="id"/> merged into <paramref name="into"/> (once).</summary>
    public PersonCorrections WithMerge(int id, int into, DateTimeOffset? made = null) =>
        Merges.Any(m => m.Id == id && m.Into == into) ? this : this with { Merges = Merges.Append(new PersonMergeCorrection(id, into) { Made = made }).ToArray() };

    /// <summary>This set with <paramref name="move"/> in place of any earlier move or hiding of the same face.</summary>
    public PersonCorrections WithMove(FaceMoveCorrection move) => this with
    {
        Moves = Moves.Where(m => !FaceKey.Comparer.Equals(m.Face, move.Face)).Append(move).ToArray(),
        Hidden = Hidden.Where(h => !FaceKey.Comparer.Equals(h.Face, move.Face)).ToArray(),
    };

    /// <summary>This set with <paramref name="hide"/> in place of any earlier move or hiding of the same face.</summary>
    public PersonCorrections WithHide(FaceHideCorrection hide) => this with
    {
        Moves = Moves.Where(m => !FaceKey.Comparer.Equals(m.Face, hide.Face)).ToArray(),
        Hidden = Hidden.Where(h => !FaceKey.Comparer.Equals(h.Face, hide.Face)).Append(hide).ToArray(),
    };

    /// <summary>This set without <paramref name="entry"/> (one of its names, merges, removals, moves or hidden faces).</summary>
    /// <returns>Null when the set does not hold it.</returns>
    public PersonCorrections? Without(object entry) => entry switch
    {
        PersonNameCorrection n when Names.Contains(n) => this with { Names = Names.Where(x => x != n).ToArray() },
        PersonMergeCorrection m when Merges.Contains(m) => this with { Merges = Merges.Where(x => x != m).ToArray() },
        FaceRemovalCorrection r when Removals.Contains(r) => this with { Removals = Removals.Where(x => x != r).ToArray() },
        FaceMoveCorrection m when Moves.Contains(m) => this with { Moves = Moves.Where(x => x != m).ToArray() },
        FaceHideCorrection h when Hidden.Contains(h) => this with { Hidden = Hidden.Where(x => x != h).ToArray() },
        _ => null,
    };

    /// <summary>This set with <paramref name="removal"/> added (once).</summary>
    public PersonCorrections WithRemoval(FaceRemovalCorrection removal) =>
        Removals.Any(removal.SameFace)
            ? this
            : this with { Removals = Removals.Append(removal).ToArray() };

    /// <summary>
    /// This set with each face correction whose photo is gone (not among <paramref name="photos"/>, no file at its path)
    /// moved to the photo of <paramref name="photos"/> with its content key (<paramref name="keyOf"/>, null when a
    /// photo cannot be read), the first in path order when several have it. Only photos new to the export (not in
    /// <paramref name="known"/>, the earlier export's photos) whose path no correction names are hashed, and only when
    /// a correction is gone; so a copy of a photo the export already held is never taken for it.
    /// <paramref name="moved"/> receives each old path and its new one.
    /// </summary>
    public PersonCorrections Relocate(IEnumerable<string> photos, IEnumerable<string> known, Func<string, string?> keyOf, IDictionary<string, string> moved)
    {
        ArgumentNullException.ThrowIfNull(photos);
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentNullException.ThrowIfNull(moved);
        var present = new HashSet<string>(photos, FileSystem.PathComparison.Comparer);
        FaceCorrection[] all = [.. Removals, .. Moves, .. Hidden];
        bool Gone(FaceCorrection c) => c.ContentKey is not null && !present.Contains(c.Path) && !File.Exists(c.Path);
        if (!all.Any(Gone))
        {
            return this;
        }

        var named = new HashSet<string>(all.Select(c => c.Path).Concat(known), FileSystem.PathComparison.Comparer);
        var byKey = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string photo in present.Where(p => !named.Contains(p)).Order(FileSystem.PathComparison.Comparer))
        {
            if (keyOf(photo) is string key)
            {
                byKey.TryAdd(key, photo);
            }
        }

        T Follow<T>(T c) where T : FaceCorrection
        {
            if (!Gone(c) || !byKey.TryGetValue(c.ContentKey!, out string? photo))
            {
                return c;
            }

            moved[c.Path] = photo;
            return c with { Path = photo, Retired = false };
        }

        return this with
        {
            Removals = Removals.Select(Follow).ToArray(),
            Moves = Moves.Select(Follow).ToArray(),
            Hidden = Hidden.Select(Follow).ToArray(),
        };
    }

    /// <summary>Reads the corrections in <paramref name="exportFolder"/>; <see cref="Empty"/> when it has none.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, not ours, or of a newer schema.</exception>
    public static PersonCorrections Load(string exportFolder)
    {
        string path = Path.Combine(exportFolder, FileName);
        if (!File.Exists(path))
        {
            return Empty;
        }

        PersonCorrections? value;
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (MissingMember(document.RootElement) is string missing)
            {
                throw new InvalidDataException($"'{path}': {missing}. {Remedy}");
            }

            value = document.Deserialize<PersonCorrections>(SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid {FaceManifest.ToolName} corrections file: {e.Message} {Remedy}", e);
        }

        if (value is null || !string.Equals(value.Tool, FaceManifest.ToolName, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not a {FaceManifest.ToolName} corrections file (its \"tool\" is not \"{FaceManifest.ToolName}\"). Move it out of the export folder, then run the command again.");
        }

        if (value.SchemaVersion < 1 || value.SchemaVersion > CurrentSchemaVersion)
        {
            throw new InvalidDataException($"'{path}' has schema version {value.SchemaVersion}; this version reads 1 to {CurrentSchemaVersion}. Update FaceCluster, then run the command again.");
        }

        if (value.Problem() is string problem)
        {
            throw new InvalidDataException($"'{path}': {problem}. {Remedy}");
        }

        return value;
    }

    /// <summary>
    /// This run's corrections (<see langword="this"/>, made from <paramref name="basis"/>, the file as it was read)
    /// replayed onto <paramref name="current"/>, the file as it is now: what changed since <paramref name="basis"/> is
    /// applied, except where <paramref name="current"/> changed the same entry meanwhile (that change wins).
    /// <paramref name="photosFollowed"/> names photos this run found under a new path (<see cref="Relocate"/>): an entry
    /// of <paramref name="basis"/> or <paramref name="current"/> about the old path is the same as one of this set about the new.
    /// </summary>
    public PersonCorrections Rebase(PersonCorrections basis, PersonCorrections current, IReadOnlyDictionary<string, string>? photosFollowed = null)
    {
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(current);
        PersonCorrections result = current with { NextPersonId = Math.Max(current.NextPersonId, NextPersonId) };
        foreach (PersonNameCorrection name in Names.Except(basis.Names))
        {
            if (Equals(basis.Names.FirstOrDefault(n => n.Id == name.Id), current.Names.FirstOrDefault(n => n.Id == name.Id)))
            {
                result = result with { Names = result.Names.Where(n => n.Id != name.Id).Append(name).OrderBy(n => n.Id).ToArray() };
            }
        }

        foreach (PersonMergeCorrection merge in Merges.Except(basis.Merges))
        {
            result = result.WithMerge(merge.Id, merge.Into);
        }

        return result with
        {
            Removals = Replay(Removals, basis.Removals, current.Removals, (a, b) => Followed(a).SameFace(b)),
            Moves = Replay(Moves, basis.Moves, current.Moves, (a, b) => Followed(a).SameFaceAs(b)),
            Hidden = Replay(Hidden, basis.Hidden, current.Hidden, (a, b) => Followed(a).SameFaceAs(b)),
        };

        T Followed<T>(T entry) where T : FaceCorrection =>
            photosFollowed?.GetValueOrDefault(entry.Path) is string path ? entry with { Path = path } : entry;
    }

    /// <summary>
    /// <paramref name="current"/> with each entry of <paramref name="mine"/> not in <paramref name="basis"/> put in
    /// place of the entry it is the <paramref name="same"/> as (an entry of <paramref name="basis"/> or
    /// <paramref name="current"/> first, one of <paramref name="mine"/> second), or added, unless
    /// <paramref name="current"/> changed that entry since <paramref name="basis"/>.
    /// </summary>
    private static T[] Replay<T>(IReadOnlyList<T> mine, IReadOnlyList<T> basis, IReadOnlyList<T> current, Func<T, T, bool> same)
        where T : class
    {
        var result = current.ToList();
        foreach (T entry in mine.Except(basis))
        {
            if (Equals(basis.FirstOrDefault(e => same(e, entry)), current.FirstOrDefault(e => same(e, entry))))
            {
                int i = result.FindIndex(e => same(e, entry));
                if (i >= 0)
                {
                    result[i] = entry;
                }
                else
                {
                    result.Add(entry);
                }
            }
        }

        return [.. result];
    }

    /// <summary>The first list that is not a list, or entry without a member it needs, described; null when none.</summary>
    private static string? MissingMember(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return $"the file holds {root.ValueKind}, not an object";
        }

        foreach ((string list, string[] members) in Required)
        {
            if (!root.TryGetProperty(list, out JsonElement entries))
            {
                continue;
            }

            if (entries.ValueKind != JsonValueKind.Array)
            {
                return $"\"{list}\" is {entries.ValueKind}, not a list";
            }

            int i = 0;
            foreach (JsonElement entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !members.All(m => entry.TryGetProperty(m, out _)))
                {
                    return FormattableString.Invariant($"\"{list}\" entry {i} is {entry.GetRawText().ReplaceLineEndings(" ")}; each needs {string.Join(", ", members.Select(m => $"\"{m}\""))}");
                }

                i++;
            }
        }

        return null;
    }

    /// <summary>The first entry out of range, described; null when every entry is sound.</summary>
    private string? Problem()
    {
        if (NextPersonId < 0)
        {
            return FormattableString.Invariant($"\"nextPersonId\" is {NextPersonId}; person ids are 0 or more");
        }

        for (int i = 0; i < Names.Count; i++)
        {
            if (Names[i] is not { } n || n.Id < 0 || string.IsNullOrWhiteSpace(n.Name))
            {
                return FormattableString.Invariant($"\"names\" entry {i} is {Describe(Names[i])}; each needs an \"id\" of 0 or more and a non-empty \"name\"");
            }
        }

        for (int i = 0; i < Merges.Count; i++)
        {
            if (Merges[i] is not { } m || m.Id < 0 || m.Into < 0 || m.Id == m.Into)
            {
                return FormattableString.Invariant($"\"merges\" entry {i} is {Describe(Merges[i])}; each needs an \"id\" and an \"into\" of 0 or more, not the same");
            }
        }

        for (int i = 0; i < Removals.Count; i++)
        {
            if (Removals[i] is not { } r || r.Id < 0 || r.FaceIndex < 0 || string.IsNullOrWhiteSpace(r.Path) || !System.IO.Path.IsPathRooted(r.Path))
            {
                return FormattableString.Invariant($"\"removals\" entry {i} is {Describe(Removals[i])}; each needs an \"id\" and a \"faceIndex\" of 0 or more and the photo's full \"path\"");
            }
        }

        for (int i = 0; i < Moves.Count; i++)
        {
            if (Moves[i] is not { } m || m.Id < -1 || m.Into < 0 || m.Id == m.Into || m.FaceIndex < 0 || string.IsNullOrWhiteSpace(m.Path) || !System.IO.Path.IsPathRooted(m.Path))
            {
                return FormattableString.Invariant($"\"moves\" entry {i} is {Describe(Moves[i])}; each needs an \"id\" of -1 or more, an \"into\" of 0 or more and not the same, a \"faceIndex\" of 0 or more and the photo's full \"path\"");
            }
        }

        for (int i = 0; i < Hidden.Count; i++)
        {
            if (Hidden[i] is not { } h || h.FaceIndex < 0 || string.IsNullOrWhiteSpace(h.Path) || !System.IO.Path.IsPathRooted(h.Path))
            {
                return FormattableString.Invariant($"\"hidden\" entry {i} is {Describe(Hidden[i])}; each needs a \"faceIndex\" of 0 or more and the photo's full \"path\"");
            }
        }

        return null;
    }

    private static string Describe(object? entry) => entry is null ? "null" : JsonSerializer.Serialize(entry, DescribeOptions);

    /// <summary>Writes the corrections into <paramref name="exportFolder"/> atomically.</summary>
    /// <exception cref="IOException">corrections.json there is a link: the user's, never replaced nor written through
    /// (<see cref="ExportLinks"/>).</exception>
    public void Save(string exportFolder)
    {
        string path = Path.Combine(exportFolder, FileName);
        if (ExportLinks.IsLink(path))
        {
            throw new IOException(ExportLinks.LeftAlone(path, "the export's own corrections file") +
                " The corrections are not saved: replace the link with a copy of the file it points to, then run this again.");
        }

        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions), overwrite: true);
    }

    public bool SameAs(PersonCorrections other) =>
        JsonSerializer.Serialize(this, SerializerOptions) == JsonSerializer.Serialize(other, SerializerOptions);
}
