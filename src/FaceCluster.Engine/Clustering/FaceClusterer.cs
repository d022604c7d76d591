using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Turns face encodings into people. Deterministic: the same faces in any order give the same groups. Faces
/// are first sorted canonically (path, compared as the platform compares file names; then face index), clustered by <see cref="DbscanClusterer"/> or
/// <see cref="AverageLinkageClusterer"/>, and the clusters numbered by size, largest first, ties broken by the
/// canonical position of their first member. Each cluster's members are in canonical order and its
/// representative is its medoid. Noise faces form one last doubtful group (Id -1), emitted only if there are
/// any, each with its nearest cluster (<see cref="NearestClusterFinder"/>). With <see cref="FaceClusteringOptions.SeparateSamePhoto"/>, no cluster holds two faces of one photo.
/// With <see cref="FaceClusteringOptions.Previous"/>, earlier corrections constrain the clustering
/// (<see cref="PersonConstraints"/>) and the clusters take earlier people's ids and names (<see cref="PersonMatcher"/>);
/// hidden faces (<see cref="PersonHistory.Hidden"/>) join no cluster and are among the doubtful faces, with no nearest cluster.
/// So do the faces <see cref="FaceClusteringOptions.QualityGate"/> keeps out (probably not faces), each with its
/// <see cref="ClusterMember.Gate"/> reason, unless a correction put them in a person (<see cref="PersonHistory.Placed"/>).
/// Near pairs come from every pair or from an approximate index (<see cref="Search"/>); with an earlier export,
/// <see cref="IncrementalRule"/> may decide to keep the earlier people and only place the new faces (<see cref="Run"/>).
/// </summary>
public sealed class FaceClusterer
{
    /// <summary>The group threshold the last <see cref="Cluster"/> call chose (<see cref="FaceClusteringOptions.LibraryThreshold"/>); null when none.</summary>
    public double? GroupThreshold { get; private set; }

    /// <summary>What the last <see cref="Cluster"/> call found about earlier people (merges, splits); empty on a first run.</summary>
    public IReadOnlyList<PeopleNotice> Notices { get; private set; } = [];

    /// <summary>The neighbour search the last <see cref="Cluster"/> call ran, and why; null when it had no faces to compare.</summary>
    public NeighbourSearchChoice? Search { get; private set; }

    /// <summary>The smallest person id the last <see cref="Cluster"/> call left unused.</summary>
    public int NextPersonId { get; private set; }

    /// <summary>Whether the last <see cref="Cluster"/> call clustered every face or only placed the new ones (<see cref="IncrementalRule"/>).</summary>
    public ClusteringRun Run { get; private set; }

    /// <summary>Why the last call ran as it did; null without <see cref="FaceClusteringOptions.Previous"/>.</summary>
    public string? RunReason { get; private set; }

    /// <summary>The last call's faces new since the earlier export (0 without one), and of those (and the faces taken
    /// out of people), how many an incremental run placed in earlier people.</summary>
    public (int New, int JoinedPeople) NewFaces { get; private set; }

    private int _placedSinceFullRun;

    public IReadOnlyList<FaceGroup> Cluster(IReadOnlyList<FaceEncoding> faces, FaceClusteringOptions options,
        CancellationToken ct = default, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(options);
        GroupThreshold = null;
        Search = null;
        Notices = [];
        (Run, RunReason, NewFaces, _placedSinceFullRun) = (ClusteringRun.Full, null, (0, 0), 0);
        NextPersonId = options.Previous?.NextId ?? 0;
        if (faces.Count == 0)
        {
            return [];
        }

        FaceEncoding[] sorted = new FaceEncoding[faces.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            FaceEncoding f = faces[i] ?? throw new ArgumentException($"Face {i} is null.", nameof(faces));
            if (!string.Equals(f.Model, faces[0].Model, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Face {i} ({f}) was encoded by model pack '{f.Model}', face 0 ({faces[0]}) by '{faces[0].Model}': vectors of different model packs are not comparable.",
                    nameof(faces));
            }

            sorted[i] = f;
        }

        Array.Sort(sorted, CanonicalOrder);
        var gated = new Dictionary<FaceEncoding, FaceGateReason>();
        if (options.QualityGate is { } gate)
        {
            Gate(sorted, gate, options.Previous?.Placed, gated);
        }

        FaceEncoding[] hidden = [];
        if (options.Previous is { Hidden.Count: > 0 } known)
        {
            hidden = sorted.Where(f => known.Hidden.Contains(Key(f))).ToArray();
            sorted = sorted.Where(f => !known.Hidden.Contains(Key(f))).ToArray();
        }

        ClusterMember[] setAside =
        [
            .. hidden.Select(f => new ClusterMember(f, FaceRole.Noise)),
            .. sorted.Where(gated.ContainsKey).Select(f => new ClusterMember(f, FaceRole.Noise) { Gate = gated[f] }),
        ];
        if (gated.Count > 0)
        {
            sorted = sorted.Where(f => !gated.ContainsKey(f)).ToArray();
        }

        if (sorted.Length == 0)
        {
            return [Doubtful(setAside, Settings(options, faces[0].Model, null))];
        }

        float[][] vectors = sorted.Select(f => f.Vector).ToArray();
        Search = NeighbourSearchChoice.Choose(options.NeighbourSearch, vectors.Length, options.Metric);
        int[] photoOf = PhotoGroups(sorted);
        double? chosen = options.Algorithm == ClusteringAlgorithm.AverageLinkage && options.LibraryThreshold is { } rule
            ? Clustering.LibraryThreshold.Choose(vectors, options.Metric, options.Epsilon, rule, options.MaxDegreeOfParallelism, ct)
            : null;
        if (options.Previous is { } earlier)
        {
            int fresh = sorted.Count(f => !earlier.EarlierFaces.Contains(Key(f)));
            (Run, RunReason) = IncrementalRule.Decide(options, sorted[0].Model, sorted.Length, fresh, chosen);
            NewFaces = (fresh, 0);
            if (Run == ClusteringRun.Incremental)
            {
                GroupThreshold = earlier.Earlier!.GroupThreshold;
                _placedSinceFullRun = earlier.Earlier.PlacedSinceFullRun + fresh;
                Search = null; // placing new faces compares them with every person exactly (PersonPlacer)
                return ClusterIncrementally(sorted, setAside, vectors, photoOf, options, earlier, ct, progress);
            }
        }

        PersonConstraints? constraints = options.Previous is { } previous ? Constraints(sorted, previous) : null;
        if (constraints is not null && options.Algorithm == ClusteringAlgorithm.Dbscan
            && (constraints.Together.Any(t => t >= 0) || constraints.NotPerson.Any(n => n is not null)))
        {
            throw new NotSupportedException("Merges and removed faces (corrections.json) are applied by average linkage only; DBSCAN cannot honour them. Use -Algorithm AverageLinkage.");
        }

        NeighbourGraph? graph = null;
        if (Search.Path == NeighbourSearch.Approximate)
        {
            // The graph is built once; the clustering's passes and the doubtful faces' hints read it.
            var meter = new ProgressMeter(progress is null ? null : new Progress<double>(p => progress.Report(p / 2)), NeighbourGraph.BuildUnits(vectors.Length));
            graph = NeighbourGraph.Build(VectorSet.Create(vectors, options.Metric, nameof(faces)),
                Math.Min(options.MaxDegreeOfParallelism, Environment.ProcessorCount), meter.Add, ct);
            progress = progress is null ? null : new Progress<double>(p => progress.Report(0.5 + (p / 2)));
        }

        ClusterAssignment result = options.Algorithm switch
        {
            ClusteringAlgorithm.Dbscan => new DbscanClusterer().Cluster(vectors, new DbscanOptions
            {
                Epsilon = options.Epsilon,
                MinSamples = options.MinSamples,
                Metric = options.Metric,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
                Neighbours = graph,
            }, ct, progress),
            ClusteringAlgorithm.AverageLinkage => new AverageLinkageClusterer().Cluster(vectors, new AverageLinkageOptions
            {
                Threshold = options.Epsilon,
                GroupThreshold = GroupThreshold = chosen,
                Metric = options.Metric,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
                Neighbours = graph,
            }, options.SeparateSamePhoto ? photoOf : null, ct, progress, constraints),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Algorithm, "Unknown clustering algorithm."),
        };

        var members = new List<int>[result.ClusterCount];
        var noise = new List<int>();
        FaceRole[] roles = (FaceRole[])result.Roles.Clone();
        for (int i = 0; i < sorted.Length; i++)
        {
            int label = result.Labels[i];
            (label < 0 ? noise : members[label] ??= []).Add(i);
        }

        int Medoid(List<int> m) => m[MedoidFinder.IndexOfMedoid(m.Select(i => vectors[i]).ToArray(), options.Metric,
            options.MaxDegreeOfParallelism, ct)];

        var clusters = new List<(List<int> Members, int Medoid)>(members.Length);
        foreach (List<int> m in members)
        {
            ct.ThrowIfCancellationRequested();
            int medoid = Medoid(m);
            if (options.SeparateSamePhoto && options.Algorithm == ClusteringAlgorithm.Dbscan)
            {
                List<int> kept = KeepOneFacePerPhoto(m, medoid, vectors, photoOf, options.Metric);
                foreach (int i in m.Except(kept))
                {
                    noise.Add(i);
                    roles[i] = FaceRole.Noise;
                }

                if (kept.Count < 2)
                {
                    noise.AddRange(kept);
                    kept.ForEach(i => roles[i] = FaceRole.Noise);
                    continue;
                }

                medoid = kept.Count == m.Count ? medoid : Medoid(kept);
                clusters.Add((kept, medoid));
            }
            else
            {
                clusters.Add((m, medoid));
            }
        }

        // Members lists hold canonical indices in increasing order, so [0] is the first member.
        var ordered = clusters.OrderByDescending(c => c.Members.Count).ThenBy(c => c.Members[0]).ToArray();
        IReadOnlyList<PersonIdentity> people;
        if (options.Previous is { } history)
        {
            var notices = new List<PeopleNotice>();
            people = PersonMatcher.Match(ordered.Select(c => (IReadOnlyList<FaceKey>)c.Members.Select(i => Key(sorted[i])).ToArray()).ToArray(),
                noise.Select(i => Key(sorted[i])), history, notices, out int nextId);
            Notices = notices;
            NextPersonId = nextId;
        }
        else
        {
            people = PersonMatcher.Number(ordered.Length);
            NextPersonId = ordered.Length;
        }

        var settings = Settings(options, sorted[0].Model, GroupThreshold) with { NeighbourSearch = Search.Path };
        List<FaceGroup> groups = People(sorted, ordered, people, roles, settings);

        if (noise.Count > 0 || setAside.Length > 0)
        {
            noise.Sort();
            var notClusters = constraints is null ? null : noise.Select(i => NotClusters(constraints.NotPerson[i], people)).ToArray();
            List<int>[] clusterMembers = ordered.Select(c => c.Members).ToArray();
            NearestCluster?[] nearest = graph is null
                ? NearestClusterFinder.Find(vectors, clusterMembers, roles, noise, options, ct, notClusters)
                : NearestClusterFinder.FindAmongNeighbours(graph, vectors, clusterMembers, roles, noise, options.Metric, notClusters);
            groups.Add(Doubtful(noise.Select((i, k) => new ClusterMember(sorted[i], FaceRole.Noise)
            {
                NearestClusterId = nearest[k] is { } near ? people[near.ClusterId].Id : null,
                NearestClusterDistance = nearest[k]?.Distance,
            }).Concat(setAside), settings));
        }

        return groups;
    }

    /// <summary>One group per cluster of <paramref name="ordered"/>, with its person's id and name.</summary>
    private static List<FaceGroup> People(FaceEncoding[] sorted, IReadOnlyList<(List<int> Members, int Medoid)> ordered,
        IReadOnlyList<PersonIdentity> people, FaceRole[] roles, ClusteringSettings settings)
    {
        var groups = new List<FaceGroup>(ordered.Count + 1);
        for (int k = 0; k < ordered.Count; k++)
        {
            (List<int> m, int medoid) = ordered[k];
            PersonIdentity person = people[k];
            groups.Add(new FaceGroup
            {
                Id = person.Id,
                Name = person.Name,
                Label = person.Label,
                MergedIds = person.MergedIds,
                SplitFromId = person.SplitFromId,
                Members = m.Select(i => new ClusterMember(sorted[i], roles[i])).ToArray(),
                Representative = sorted[medoid],
                Clustering = settings,
            });
        }

        return groups;
    }

    /// <summary>
    /// An incremental run (<see cref="IncrementalRule"/>): every face of an earlier person stays in it (corrections
    /// applied), the earlier doubtful faces stay doubtful with their earlier hints, and the new faces (and those taken
    /// out of a person) are placed by <see cref="PersonPlacer"/>: each joins its nearest person within average
    /// linkage's thresholds (one face per photo in a person, nearest first), and those that join nobody are clustered
    /// among themselves into new people. A person keeps its representative while it is still theirs and gained no face.
    /// </summary>
    private IReadOnlyList<FaceGroup> ClusterIncrementally(FaceEncoding[] sorted, ClusterMember[] setAside, float[][] vectors, int[] photoOf,
        FaceClusteringOptions options, PersonHistory history, CancellationToken ct, IProgress<double>? progress)
    {
        int n = sorted.Length;
        var personOf = new int[n];
        var toPlace = new List<int>();
        var keptDoubtful = new List<int>();
        for (int i = 0; i < n; i++)
        {
            FaceKey key = Key(sorted[i]);
            if (history.PersonOf.TryGetValue(key, out int p))
            {
                personOf[i] = p;
            }
            else
            {
                personOf[i] = -1;
                (history.EarlierFaces.Contains(key) && !history.NotPersonOf.ContainsKey(key) ? keptDoubtful : toPlace).Add(i);
            }
        }

        int[] earlierPerson = (int[])personOf.Clone();
        progress?.Report(0.2);
        PersonPlacer.Placement[] placements = PersonPlacer.Place(vectors, personOf, toPlace, options.Epsilon, GroupThreshold, options.Metric,
            toPlace.Select(i => (IReadOnlyCollection<int>?)history.NotPersonOf.GetValueOrDefault(Key(sorted[i]))).ToArray(),
            options.MaxDegreeOfParallelism, ct);
        int[] joined = Join(toPlace, placements, personOf, options.SeparateSamePhoto ? photoOf : null);
        var gained = new HashSet<int>();
        for (int k = 0; k < toPlace.Count; k++)
        {
            if (joined[k] >= 0)
            {
                personOf[toPlace[k]] = joined[k];
                gained.Add(joined[k]);
            }
        }

        NewFaces = (NewFaces.New, gained.Count == 0 ? 0 : joined.Count(p => p >= 0));
        progress?.Report(0.6);

        // The faces that joined nobody, clustered among themselves.
        int[] rest = toPlace.Where((_, k) => joined[k] < 0).ToArray();
        int[] restLabels = rest.Length < 2 ? Enumerable.Repeat(-1, rest.Length).ToArray() : new AverageLinkageClusterer().Cluster(
            rest.Select(i => vectors[i]).ToArray(),
            new AverageLinkageOptions
            {
                Threshold = options.Epsilon,
                GroupThreshold = GroupThreshold,
                Metric = options.Metric,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            },
            options.SeparateSamePhoto ? rest.Select(i => photoOf[i]).ToArray() : null, ct).Labels;

        var earlierPeople = new Dictionary<int, List<int>>();
        for (int i = 0; i < n; i++)
        {
            if (personOf[i] >= 0)
            {
                (earlierPeople.TryGetValue(personOf[i], out List<int>? list) ? list : earlierPeople[personOf[i]] = []).Add(i);
            }
        }

        var freshPeople = new Dictionary<int, List<int>>();
        var noise = new List<int>(keptDoubtful);
        for (int k = 0; k < rest.Length; k++)
        {
            if (restLabels[k] < 0)
            {
                noise.Add(rest[k]);
            }
            else
            {
                (freshPeople.TryGetValue(restLabels[k], out List<int>? list) ? list : freshPeople[restLabels[k]] = []).Add(rest[k]);
            }
        }

        int Medoid(List<int> m) => m[MedoidFinder.IndexOfMedoid(m.Select(i => vectors[i]).ToArray(), options.Metric,
            options.MaxDegreeOfParallelism, ct)];
        int Representative(int person, List<int> m)
        {
            if (!gained.Contains(person) && history.Representatives.TryGetValue(person, out FaceKey kept))
            {
                int at = m.FindIndex(i => FaceKey.Comparer.Equals(Key(sorted[i]), kept));
                if (at >= 0)
                {
                    return m[at];
                }
            }

            return Medoid(m);
        }

        var clusters = earlierPeople.Select(p => (Members: p.Value, Medoid: Representative(p.Key, p.Value)))
            .Concat(freshPeople.Values.Select(m => (Members: m, Medoid: Medoid(m))));
        var ordered = clusters.OrderByDescending(c => c.Members.Count).ThenBy(c => c.Members[0]).ToArray();
        var notices = new List<PeopleNotice>();
        IReadOnlyList<PersonIdentity> people = PersonMatcher.Match(
            ordered.Select(c => (IReadOnlyList<int>)c.Members.Select(i => earlierPerson[i]).ToArray()).ToArray(),
            noise.Select(i => earlierPerson[i]), history, notices, out int nextId);
        Notices = notices;
        NextPersonId = nextId;

        var roles = new FaceRole[n];
        Array.Fill(roles, FaceRole.Core);
        noise.ForEach(i => roles[i] = FaceRole.Noise);
        var settings = Settings(options, sorted[0].Model, GroupThreshold);
        List<FaceGroup> groups = People(sorted, ordered, people, roles, settings);
        progress?.Report(0.9);
        if (noise.Count > 0 || setAside.Length > 0)
        {
            var present = people.Select(p => p.Id).ToHashSet();
            var placedAt = toPlace.Select((i, k) => (i, k)).ToDictionary(t => t.i, t => t.k);
            (int Id, double Distance)? Hint(int i) =>
                placedAt.TryGetValue(i, out int k) ? placements[k].Nearest is { } near ? (near.Person, near.Distance) : null
                : history.EarlierHints.TryGetValue(Key(sorted[i]), out var hint) && present.Contains(hint.Id) ? hint : null;
            groups.Add(Doubtful(noise.Select(i => (Face: i, Hint: Hint(i))).Select(x => new ClusterMember(sorted[x.Face], FaceRole.Noise)
            {
                NearestClusterId = x.Hint?.Id,
                NearestClusterDistance = x.Hint?.Distance,
            }).Concat(setAside), settings));
        }

        return groups;
    }

    /// <summary>
    /// Per face of <paramref name="toPlace"/>, the person it joins (-1: none): its nearest joinable person, and with
    /// <paramref name="photoOf"/>, never a person already holding a face of its photo; a photo's faces take their
    /// people nearest first.
    /// </summary>
    private static int[] Join(List<int> toPlace, PersonPlacer.Placement[] placements, int[] personOf, int[]? photoOf)
    {
        var joined = new int[toPlace.Count];
        Array.Fill(joined, -1);
        if (photoOf is null)
        {
            for (int k = 0; k < toPlace.Count; k++)
            {
                joined[k] = placements[k].Joinable is [var first, ..] ? first.Person : -1;
            }

            return joined;
        }

        var photos = toPlace.Select(i => photoOf[i]).ToHashSet();
        var taken = new Dictionary<int, HashSet<int>>();
        for (int i = 0; i < personOf.Length; i++)
        {
            if (personOf[i] >= 0 && photos.Contains(photoOf[i]))
            {
                (taken.TryGetValue(photoOf[i], out HashSet<int>? set) ? set : taken[photoOf[i]] = []).Add(personOf[i]);
            }
        }

        foreach (var photo in Enumerable.Range(0, toPlace.Count).GroupBy(k => photoOf[toPlace[k]]))
        {
            HashSet<int> takenHere = taken.GetValueOrDefault(photo.Key) ?? [];
            var choices = photo.SelectMany(k => placements[k].Joinable.Select(c => (Face: k, Choice: c)))
                .OrderBy(t => t.Choice.Distance).ThenBy(t => t.Face).ThenBy(t => t.Choice.Person);
            foreach ((int k, PersonPlacer.Choice choice) in choices)
            {
                if (joined[k] < 0 && takenHere.Add(choice.Person))
                {
                    joined[k] = choice.Person;
                }
            }
        }

        return joined;
    }

    /// <summary>
    /// Fills <paramref name="gated"/> with the faces (canonical order, so a photo's faces are adjacent) that
    /// <paramref name="gate"/> keeps out of every person, and why; a face the user put in a person (<paramref name="placed"/>) passes.
    /// </summary>
    private static void Gate(FaceEncoding[] sorted, FaceQualityGate gate, IReadOnlySet<FaceKey>? placed, Dictionary<FaceEncoding, FaceGateReason> gated)
    {
        for (int start = 0, end; start < sorted.Length; start = end)
        {
            for (end = start + 1; end < sorted.Length && string.Equals(sorted[end].Path, sorted[start].Path, FileSystem.PathComparison.Current); end++)
            {
            }

            var photo = new ArraySegment<FaceEncoding>(sorted, start, end - start);
            foreach (FaceEncoding face in photo)
            {
                if (gate.Check(face, photo) is { } reason && placed?.Contains(Key(face)) != true)
                {
                    gated[face] = reason;
                }
            }
        }
    }

    /// <summary>The doubtful group (Id -1) of <paramref name="members"/>, in canonical order.</summary>
    private static FaceGroup Doubtful(IEnumerable<ClusterMember> members, ClusteringSettings settings) => new()
    {
        Id = -1,
        Label = FaceGroup.DoubtfulLabel,
        Members = members.OrderBy(m => m.Face, Comparer<FaceEncoding>.Create(CanonicalOrder)).ToArray(),
        Representative = null,
        Clustering = settings,
    };

    /// <summary>What the clustering used, as each group records it.</summary>
    private ClusteringSettings Settings(FaceClusteringOptions options, string model, double? groupThreshold) => new()
    {
        Run = Run,
        RunReason = RunReason,
        PlacedSinceFullRun = _placedSinceFullRun,
        Model = model,
        Algorithm = options.Algorithm,
        Metric = options.Metric,
        Epsilon = options.Epsilon,
        EpsilonSource = options.EpsilonSource,
        GroupThreshold = groupThreshold,
        MinSamples = options.Algorithm == ClusteringAlgorithm.Dbscan ? options.MinSamples : null,
        SeparateSamePhoto = options.SeparateSamePhoto,
    };

    /// <summary>The clusters (indices into <paramref name="people"/>) of the people a face was taken out of; null when none.</summary>
    private static IReadOnlySet<int>? NotClusters(int[]? notPerson, IReadOnlyList<PersonIdentity> people) =>
        notPerson is null ? null : Enumerable.Range(0, people.Count).Where(k => notPerson.Contains(people[k].Id)).ToHashSet();

    private static FaceKey Key(FaceEncoding face) => new(face.Path, face.FaceIndex);

    /// <summary>The constraints <paramref name="history"/> puts on the faces (canonical order).</summary>
    private static PersonConstraints Constraints(FaceEncoding[] sorted, PersonHistory history)
    {
        var person = new int[sorted.Length];
        var notPerson = new int[]?[sorted.Length];
        var together = new int[sorted.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            FaceKey key = Key(sorted[i]);
            person[i] = history.PersonOf.TryGetValue(key, out int p) ? p : -1;
            notPerson[i] = history.NotPersonOf.TryGetValue(key, out var not) ? [.. not] : null;
            together[i] = person[i] >= 0 && history.MergedPeople.Contains(person[i]) ? person[i] : -1;
        }

        return new PersonConstraints { Person = person, NotPerson = notPerson, Together = together };
    }

    /// <summary>Per face (canonical order), the number of its photo: faces of one photo share it.</summary>
    private static int[] PhotoGroups(FaceEncoding[] sorted)
    {
        var photoOf = new int[sorted.Length];
        for (int i = 1; i < sorted.Length; i++)
        {
            photoOf[i] = photoOf[i - 1] + (string.Equals(sorted[i].Path, sorted[i - 1].Path, FileSystem.PathComparison.Current) ? 0 : 1);
        }

        return photoOf;
    }

    /// <summary>
    /// The members of a cluster with, of each photo's faces, only the one nearest the medoid (on a tie, the lower
    /// index), in increasing order.
    /// </summary>
    private static List<int> KeepOneFacePerPhoto(List<int> members, int medoid, float[][] vectors, int[] photoOf, DistanceMetric metric)
    {
        double normMedoid = ExactDistance.Norm(vectors[medoid]);
        var best = new Dictionary<int, (int Index, double Distance)>();
        foreach (int i in members)
        {
            double d = ExactDistance.Surrogate(vectors[i], ExactDistance.Norm(vectors[i]), vectors[medoid], normMedoid, metric);
            if (!best.TryGetValue(photoOf[i], out var current) || d < current.Distance)
            {
                best[photoOf[i]] = (i, d);
            }
        }

        return best.Count == members.Count ? members : best.Values.Select(b => b.Index).Order().ToList();
    }

    /// <summary>Path (as the platform compares paths), then face index.</summary>
    internal static int CanonicalOrder(FaceEncoding a, FaceEncoding b)
    {
        int c = FileSystem.PathComparison.Comparer.Compare(a.Path, b.Path);
        return c != 0 ? c : a.FaceIndex.CompareTo(b.FaceIndex);
    }
}
