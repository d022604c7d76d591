using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.People;

/// <summary>
/// What earlier runs know about the people, resolved for one clustering: each earlier face's person (merges
/// followed, removed and hidden faces left out, moved faces in the person they were moved into), the people each
/// removed or moved face is not, the people whose faces start as one group (those in a merge, those a face was moved
/// into), the hidden faces, names, and the next unused id. <see cref="Clustering.FaceClusterer"/> applies it.
/// </summary>
public sealed class PersonHistory
{
    /// <summary>Each face of the earlier export that belonged to a person: that person's (merge-resolved) id.</summary>
    public required IReadOnlyDictionary<FaceKey, int> PersonOf { get; init; }

    /// <summary>Faces taken out of people: the (merge-resolved) ids they may never join.</summary>
    public required IReadOnlyDictionary<FaceKey, IReadOnlyList<int>> NotPersonOf { get; init; }

    /// <summary>People whose earlier faces are held together (the target of a merge or of a moved face): must-links.</summary>
    public required IReadOnlySet<int> MergedPeople { get; init; }

    /// <summary>Faces that are not faces or are ignored: they join no person.</summary>
    public IReadOnlySet<FaceKey> Hidden { get; init; } = new HashSet<FaceKey>();

    /// <summary>Faces a correction put in a person (moved): the face-quality gate lets them through.</summary>
    public IReadOnlySet<FaceKey> Placed { get; init; } = new HashSet<FaceKey>();

    /// <summary>Names by (merge-resolved) person id.</summary>
    public required IReadOnlyDictionary<int, string> Names { get; init; }

    /// <summary>The smallest id never used.</summary>
    public required int NextId { get; init; }

    /// <summary>The settings the earlier export was clustered with (faces.json); null when it has none.</summary>
    public ClusteringSettings? Earlier { get; init; }

    /// <summary>Every face of the earlier export, in a person or doubtful: a face not here is new.</summary>
    public IReadOnlySet<FaceKey> EarlierFaces { get; init; } = new HashSet<FaceKey>();

    /// <summary>The earlier doubtful faces' nearest people ((merge-resolved) id, distance), kept by an incremental run.</summary>
    public IReadOnlyDictionary<FaceKey, (int Id, double Distance)> EarlierHints { get; init; } = new Dictionary<FaceKey, (int, double)>();

    /// <summary>Each earlier person's representative face, kept by an incremental run while it is still theirs.</summary>
    public IReadOnlyDictionary<int, FaceKey> Representatives { get; init; } = new Dictionary<int, FaceKey>();

    /// <summary>
    /// Resolves an earlier manifest (null: none) and its corrections. A correction naming a person or face the manifest
    /// does not hold, or a merge that would close a cycle, is left out and reported in <paramref name="notices"/> (a
    /// retired one silently: its notice was given when it retired). <paramref name="photosFollowed"/> names the photos of
    /// the manifest now under another path (old path, new path; <see cref="PreviousExport.Relocate"/>).
    /// </summary>
    public static PersonHistory Resolve(FaceManifest? manifest, PersonCorrections corrections, List<PeopleNotice> notices,
        IReadOnlyDictionary<string, string>? photosFollowed = null)
    {
        ArgumentNullException.ThrowIfNull(corrections);
        var people = new HashSet<int>(manifest?.Clusters.Where(c => c.Id >= 0).Select(c => c.Id) ?? []);
        var into = new Dictionary<int, int>();
        int Root(int id)
        {
            while (into.TryGetValue(id, out int next))
            {
                id = next;
            }

            return id;
        }

        foreach (PersonMergeCorrection merge in corrections.Merges)
        {
            if (!people.Contains(Root(merge.Id)) && !people.Contains(Root(merge.Into)))
            {
                notices.Add(new("CorrectionStale", FormattableString.Invariant($"Merge of person {merge.Id} into {merge.Into}: neither is in the earlier export; ignored.")));
            }
            else if (Root(merge.Into) == Root(merge.Id))
            {
                if (merge.Id != merge.Into && !into.ContainsKey(merge.Id))
                {
                    notices.Add(new("CorrectionStale", FormattableString.Invariant($"Merge of person {merge.Id} into {merge.Into}: {merge.Into} was merged into {merge.Id} before; ignored.")));
                }
            }
            else
            {
                into[Root(merge.Id)] = Root(merge.Into);
            }
        }

        FaceKey KeyOf(FaceManifestFace face) => new(photosFollowed?.GetValueOrDefault(face.Path) ?? face.Path, face.FaceIndex);
        var personOf = new Dictionary<FaceKey, int>(FaceKey.Comparer);
        foreach (FaceManifestFace face in manifest?.Faces ?? [])
        {
            if (face.ClusterId >= 0)
            {
                personOf[KeyOf(face)] = Root(face.ClusterId);
            }
        }

        var known = new HashSet<FaceKey>(manifest?.Faces.Select(KeyOf) ?? [], FaceKey.Comparer);
        var notPersonOf = new Dictionary<FaceKey, IReadOnlyList<int>>(FaceKey.Comparer);
        foreach (FaceRemovalCorrection removal in corrections.Removals)
        {
            int person = Root(removal.Id);
            if (!people.Contains(person))
            {
                if (removal.Retired)
                {
                    continue;
                }

                notices.Add(new("CorrectionStale", FormattableString.Invariant($"Removal of face {removal.Face} from person {removal.Id}: that person is not in the earlier export; ignored.")));
                continue;
            }

            if (personOf.TryGetValue(removal.Face, out int current) && current == person)
            {
                personOf.Remove(removal.Face);
            }
            else if (!known.Contains(removal.Face) && !removal.Retired)
            {
                notices.Add(new("CorrectionStale", FormattableString.Invariant($"Removal of face {removal.Face} from person {removal.Id}: that face is not in the earlier export; kept.")));
            }

            notPersonOf[removal.Face] = [.. (notPersonOf.GetValueOrDefault(removal.Face) ?? []).Append(person).Distinct()];
        }

        // A move puts its face in the person it names (a new person the move made counts as a person) and keeps it
        // out of the person it left; the people faces were moved into are held together.
        var held = into.Values.Select(Root).Where(people.Contains).ToHashSet();
        foreach (FaceMoveCorrection move in corrections.Moves)
        {
            int target = Root(move.Into);
            people.Add(target);
            held.Add(target);
            personOf[move.Face] = target;
            if (move.Id >= 0 && Root(move.Id) != target)
            {
                notPersonOf[move.Face] = [.. (notPersonOf.GetValueOrDefault(move.Face) ?? []).Append(Root(move.Id)).Distinct()];
            }
        }

        var hidden = corrections.Hidden.Select(h => h.Face).ToHashSet(FaceKey.Comparer);
        foreach (FaceKey face in hidden)
        {
            personOf.Remove(face);
        }

        var names = new Dictionary<int, string>();
        foreach (PersonNameCorrection name in corrections.Names.OrderBy(n => Root(n.Id) == n.Id ? 0 : 1).ThenBy(n => n.Id))
        {
            int person = Root(name.Id);
            if (!people.Contains(person))
            {
                if (name.Retired)
                {
                    continue;
                }

                notices.Add(new("CorrectionStale", FormattableString.Invariant($"Name '{name.Name}' of person {name.Id}: that person is not in the earlier export; ignored.")));
            }
            else
            {
                names.TryAdd(person, name.Name); // a merged person's own name first, else the lowest merged id's
            }
        }

        int maxId = new[] { -1 }.Concat(people).Concat(corrections.Names.Select(n => n.Id))
            .Concat(corrections.Merges.SelectMany(m => new[] { m.Id, m.Into })).Concat(corrections.Removals.Select(r => r.Id))
            .Concat(corrections.Moves.Select(m => m.Into)).Max();
        var hints = new Dictionary<FaceKey, (int, double)>(FaceKey.Comparer);
        foreach (FaceManifestFace face in manifest?.Faces ?? [])
        {
            if (face.ClusterId < 0 && face.NearestClusterId is int near && face.NearestClusterDistance is double distance
                && !hidden.Contains(KeyOf(face)))
            {
                hints[KeyOf(face)] = (Root(near), distance);
            }
        }

        var representatives = new Dictionary<int, FaceKey>();
        foreach (FaceManifestCluster cluster in (manifest?.Clusters ?? []).Where(c => c.Id >= 0).OrderBy(c => Root(c.Id) == c.Id ? 0 : 1))
        {
            if (cluster.RepresentativePath is { } path && cluster.RepresentativeFaceIndex is int index)
            {
                representatives.TryAdd(Root(cluster.Id), new FaceKey(photosFollowed?.GetValueOrDefault(path) ?? path, index));
            }
        }

        return new PersonHistory
        {
            Earlier = manifest?.Clustering,
            EarlierFaces = known,
            EarlierHints = hints,
            Representatives = representatives,
            PersonOf = personOf,
            NotPersonOf = notPersonOf,
            MergedPeople = held,
            Hidden = hidden,
            Placed = corrections.Moves.Select(m => m.Face).Where(f => !hidden.Contains(f)).ToHashSet(FaceKey.Comparer),
            Names = names,
            NextId = Math.Max(corrections.NextPersonId, maxId + 1),
        };
    }
}
