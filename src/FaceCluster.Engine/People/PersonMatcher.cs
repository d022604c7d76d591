using FaceCluster.Model;

namespace FaceCluster.Engine.People;

/// <summary>
/// Gives new clusters the ids and names of earlier people. An earlier person's id (and name) goes to the cluster that
/// holds more than half of that person's faces present in this run; when one cluster wins several earlier people (a
/// merge), it keeps the one with most faces in it (then the lowest id) and the others' ids retire. A cluster that
/// wins nobody gets the next id never used, in cluster order; if it holds at least two faces of an earlier person
/// whose id went elsewhere (or nowhere), it is reported as split from that person. Deterministic.
/// </summary>
public static class PersonMatcher
{
    /// <param name="clusters">Each cluster's faces, in cluster order (largest first).</param>
    /// <param name="doubtful">The faces in no cluster (they count towards an earlier person's total).</param>
    /// <param name="history">The earlier people.</param>
    /// <param name="notices">Receives a notice per merge and split.</param>
    /// <param name="nextId">The next id never used, after the new people took theirs.</param>
    public static IReadOnlyList<PersonIdentity> Match(IReadOnlyList<IReadOnlyList<FaceKey>> clusters, IEnumerable<FaceKey> doubtful,
        PersonHistory history, List<PeopleNotice> notices, out int nextId)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(doubtful);
        ArgumentNullException.ThrowIfNull(history);
        int EarlierPerson(FaceKey face) => history.PersonOf.TryGetValue(face, out int person) ? person : -1;
        return Match(clusters.Select(c => (IReadOnlyList<int>)c.Select(EarlierPerson).ToArray()).ToArray(), doubtful.Select(EarlierPerson),
            history, notices, out nextId);
    }

    /// <summary>The same, each face given as its earlier person (<see cref="PersonHistory.PersonOf"/>; -1: none), for a
    /// caller that has looked them up already.</summary>
    public static IReadOnlyList<PersonIdentity> Match(IReadOnlyList<IReadOnlyList<int>> clusters, IEnumerable<int> doubtful,
        PersonHistory history, List<PeopleNotice> notices, out int nextId)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(doubtful);
        ArgumentNullException.ThrowIfNull(history);
        var total = new Dictionary<int, int>();
        var counts = new Dictionary<int, int>[clusters.Count];
        for (int c = 0; c < clusters.Count; c++)
        {
            counts[c] = [];
            foreach (int person in clusters[c])
            {
                if (person >= 0)
                {
                    counts[c][person] = counts[c].GetValueOrDefault(person) + 1;
                    total[person] = total.GetValueOrDefault(person) + 1;
                }
            }
        }

        foreach (int person in doubtful)
        {
            if (person >= 0)
            {
                total[person] = total.GetValueOrDefault(person) + 1;
            }
        }

        var ids = new int[clusters.Count];
        var merged = new int[clusters.Count][];
        var kept = new HashSet<int>();
        for (int c = 0; c < clusters.Count; c++)
        {
            int[] winners = counts[c].Where(p => p.Value * 2 > total[p.Key])
                .OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => p.Key).ToArray();
            ids[c] = winners.Length > 0 ? winners[0] : -1;
            merged[c] = winners.Skip(1).Order().ToArray();
            if (winners.Length > 0)
            {
                kept.Add(winners[0]);
            }

            if (merged[c].Length > 0)
            {
                notices.Add(new("PeopleMerged", FormattableString.Invariant(
                    $"Earlier people {string.Join(", ", merged[c])} joined person {winners[0]}; their ids retire (Merge-FaceCluster makes this explicit, Remove-FaceClusterMember undoes it face by face).")));
            }
        }

        nextId = history.NextId;
        var splitFrom = new int?[clusters.Count];
        for (int c = 0; c < clusters.Count; c++)
        {
            if (ids[c] >= 0)
            {
                continue;
            }

            ids[c] = nextId++;
            var origin = counts[c].Where(p => p.Value >= 2)
                .OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => (int?)p.Key).FirstOrDefault();
            if (origin is int from)
            {
                splitFrom[c] = from;
                string retires = kept.Contains(from) ? "." : FormattableString.Invariant($"; no new person holds most of {from}'s faces, so that id retires.");
                notices.Add(new("PersonSplit", FormattableString.Invariant($"{counts[c][from]} face(s) of earlier person {from} form new person {ids[c]}") + retires));
            }
        }

        string? NameOf(int c) => history.Names.GetValueOrDefault(ids[c])
            ?? merged[c].Select(id => history.Names.GetValueOrDefault(id)).FirstOrDefault(n => n is not null);
        var labels = PersonFolderName.Assign(Enumerable.Range(0, clusters.Count).Select(c => (ids[c], NameOf(c))));
        return Enumerable.Range(0, clusters.Count)
            .Select(c => new PersonIdentity(ids[c], NameOf(c), labels[ids[c]], merged[c], splitFrom[c]))
            .ToArray();
    }

    /// <summary>The identities of a first run: ids 0, 1, … in cluster order, unnamed.</summary>
    public static IReadOnlyList<PersonIdentity> Number(int clusterCount) =>
        Enumerable.Range(0, clusterCount).Select(id => new PersonIdentity(id, null, FaceGroup.ClusterLabel(id), [], null)).ToArray();
}
