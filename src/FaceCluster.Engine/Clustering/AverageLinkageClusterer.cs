using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Average-linkage agglomerative clustering (UPGMA) of any number of points in bounded memory, with cannot-link
/// groups.
/// <para>
/// Definition: starting from single points, the two closest groups merge, again and again, while their distance is
/// at most <see cref="AverageLinkageOptions.Threshold"/>. For cosine, the distance between two groups is the mean
/// cosine distance over all pairs of their members: SciPy's <c>linkage(method="average")</c> exactly. For
/// Euclidean, it is the root of the mean squared distance (SciPy's average linkage on squared distances, cut at
/// the squared threshold): that mean, unlike the mean distance, can be computed from sums.
/// </para>
/// <para>
/// How: the mean over all pairs comes from each group's vector sum (<see cref="LinkageGroups"/>), so no pair needs
/// to be stored to merge groups. Only candidates are stored: two groups can be within the threshold on average only
/// if two of their members are, so the pairs of points within the threshold (found by <see cref="NeighbourScan"/>,
/// no N x N matrix) name every pair of groups that may merge. Those are held as pairs of groups, at most
/// <see cref="AverageLinkageOptions.PairBudget"/> at once (<see cref="GroupPairBuffer"/>): when there are more, a
/// pass takes only those up to a lower horizon, merges everything that merges below it
/// (<see cref="NearestNeighbourChain"/>), and the next pass scans again, now with far fewer pairs, as pairs inside
/// a group no longer count. Each pass's result is exact up to its horizon, so the final result does not depend on
/// the budget. On the approximate graph (<see cref="AverageLinkageOptions.Neighbours"/>), which lacks some close pairs,
/// merges can depend on the order passes take them in, so there a smaller budget can change a few groups; the horizons
/// never depend on thread timing (<see cref="GroupPairBuffer"/>), so the same input gives the same result every run.
/// </para>
/// <para>
/// Why it resists chaining: a group of 200 faces joins another only if their faces are close on average, so one
/// path of close faces (which is all DBSCAN needs) cannot join two people.
/// </para>
/// <para>
/// Cannot-link: points with the same non-negative entry in the <c>groups</c> array (faces of one photo) never
/// end in the same cluster; a pair of groups that would join them is no candidate, so each group merges with its
/// nearest allowed neighbour.
/// </para>
/// <para>
/// Earlier people (<see cref="PersonConstraints"/>): points that must stay together start as one group, and a group
/// holding a point taken out of an earlier person never merges with a group holding a point of that person.
/// </para>
/// <para>
/// Group threshold (<see cref="AverageLinkageOptions.GroupThreshold"/>): a second phase in which groups of two or
/// more go on merging, exactly as above, up to a larger threshold, the points still alone taking no part; then each
/// point still alone joins its nearest group within that threshold. So two faces seen once each never pair beyond
/// <see cref="AverageLinkageOptions.Threshold"/>, while a person's groups, and the stray faces of a person, join up
/// to the group threshold. docs/about_FaceCluster.md says why.
/// </para>
/// <para>
/// Points left alone are noise (label -1), but for one that a correction holds in a person (<see cref="PersonConstraints.Together"/>);
/// every point of a cluster is <see cref="FaceRole.Core"/>.
/// The same input in the same order always gives the same result.
/// </para>
/// </summary>
public sealed class AverageLinkageClusterer
{
    /// <summary>Passes over the data the last <see cref="Cluster"/> call took (1 unless the pair budget was reached).</summary>
    internal int LastRunPasses { get; private set; }

    /// <summary>True when, in the last call, a pass had to hold more pairs than the budget (see <see cref="GroupPairBuffer"/>).</summary>
    internal bool LastRunExceededBudget { get; private set; }

    public ClusterAssignment Cluster(IReadOnlyList<float[]> vectors, AverageLinkageOptions options, IReadOnlyList<int>? cannotLinkGroups = null,
        CancellationToken ct = default, IProgress<double>? progress = null, PersonConstraints? people = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Threshold > 0) || double.IsInfinity(options.Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Threshold, "Threshold must be a positive number.");
        }

        if (options.MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be at least 1.");
        }

        if (options.GroupThreshold is double g && !(g >= options.Threshold && !double.IsInfinity(g)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), g, "GroupThreshold must be a number no smaller than Threshold.");
        }

        if (options.PairBudget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PairBudget, "PairBudget must be at least 1.");
        }

        VectorSet set = VectorSet.Create(vectors, options.Metric, nameof(vectors));
        if (cannotLinkGroups is not null && cannotLinkGroups.Count != set.Count)
        {
            throw new ArgumentException($"{cannotLinkGroups.Count} cannot-link entries for {set.Count} vectors.", nameof(cannotLinkGroups));
        }

        LastRunPasses = 0;
        LastRunExceededBudget = false;
        if (set.Count == 0)
        {
            return ClusterAssignment.Empty;
        }

        int workers = Math.Min(options.MaxDegreeOfParallelism, Environment.ProcessorCount);
        NeighbourGraph? graph = options.Neighbours;
        IPairSource scan = graph?.Within(options.Threshold) ?? new NeighbourScan(set, options.Threshold);
        var meter = new ProgressMeter(progress, scan.TileCount * 10 / 9 + 1);
        var groups = new LinkageGroups(set, cannotLinkGroups, people);
        Merge(scan, groups, options.Threshold, null, options.PairBudget, workers, meter, ct);
        if (options.GroupThreshold is double groupThreshold && groupThreshold > options.Threshold)
        {
            bool[] alone = Enumerable.Range(0, set.Count).Select(i => groups.SizeOf(groups.RootOf(i)) == 1).ToArray();
            IPairSource groupScan = graph?.Within(groupThreshold) ?? new NeighbourScan(set, groupThreshold);
            meter.ExtendTotal(groupScan.TileCount);
            Merge(groupScan, groups, groupThreshold, alone, options.PairBudget, workers, meter, ct);
            JoinNearestGroups(groups, alone, groupThreshold, workers, ct, graph);
        }

        progress?.Report(1.0);
        return Label(groups, people);
    }

    /// <summary>
    /// Merges groups, pass after pass, until no two within <paramref name="threshold"/> may merge. Points marked in
    /// <paramref name="excluded"/> take no part.
    /// </summary>
    private void Merge(IPairSource scan, LinkageGroups groups, double threshold, bool[]? excluded, int budget, int workers,
        ProgressMeter meter, CancellationToken ct)
    {
        double floor = double.NegativeInfinity;
        int carried = 0;
        for (int pass = 0; ; pass++)
        {
            if (pass > 0)
            {
                meter.ExtendTotal(scan.TileCount);
            }

            LastRunPasses++;
            var buffer = new GroupPairBuffer(groups, threshold, floor, budget, scan.MaxPairs, workers, excluded, carried);
            scan.Run(buffer, workers, null, meter.Add, ct);
            (long[] keys, int count, double horizon) = buffer.Finish();
            LastRunExceededBudget |= buffer.Grown;
            new NearestNeighbourChain(groups, keys, count, horizon).Run(ct);
            if (horizon >= threshold)
            {
                return;
            }

            floor = horizon;
            carried = GroupPairBuffer.Carried(groups, keys, count);
        }
    }

    /// <summary>
    /// Each point in <paramref name="alone"/> joins the group of two or more at the smallest average distance, if that is
    /// at most <paramref name="threshold"/> and the group holds no face of its photo. All choices are made against the
    /// groups as they are before any point joins, so the order of the points does not matter. With a
    /// <paramref name="graph"/>, only the groups of the point's approximate neighbours are candidates.
    /// </summary>
    private static void JoinNearestGroups(LinkageGroups groups, bool[] alone, double threshold, int workers, CancellationToken ct,
        NeighbourGraph? graph)
    {
        int[] lone = Enumerable.Range(0, alone.Length).Where(i => alone[i]).ToArray();
        int[] roots = Enumerable.Range(0, alone.Length).Where(i => groups.RootOf(i) == i && groups.SizeOf(i) > 1).ToArray();
        if (lone.Length == 0 || roots.Length == 0)
        {
            return;
        }

        var choice = new int[lone.Length];
        int[]? rootOf = graph is null ? null : Enumerable.Range(0, alone.Length).Select(groups.RootOf).ToArray();
        // LinkageGroups.Distance and CanLink only read (RootOf, which compresses paths, is not called here).
        Parallel.For(0, lone.Length, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, k =>
        {
            int best = -1;
            double bestDistance = threshold;
            foreach (int root in graph is null ? roots : NeighbourRoots(groups, graph, rootOf!, lone[k]))
            {
                double d = groups.Distance(lone[k], root);
                if (d <= bestDistance && (d < bestDistance || best < 0) && groups.CanLink(lone[k], root))
                {
                    best = root;
                    bestDistance = d;
                }
            }

            choice[k] = best;
        });

        for (int k = 0; k < lone.Length; k++)
        {
            if (choice[k] >= 0)
            {
                groups.Merge(groups.RootOf(choice[k]), lone[k]);
            }
        }
    }

    /// <summary>The groups of two or more that hold one of <paramref name="point"/>'s approximate neighbours, in increasing order.</summary>
    private static int[] NeighbourRoots(LinkageGroups groups, NeighbourGraph graph, int[] rootOf, int point)
    {
        var roots = new SortedSet<int>();
        foreach (int j in graph.Of(point).Points.Span)
        {
            int root = rootOf[j];
            if (groups.SizeOf(root) > 1)
            {
                roots.Add(root);
            }
        }

        return [.. roots];
    }

    /// <summary>Labels the groups of two or more, and the points alone that a correction holds in a person (a face
    /// moved into a new person of its own is that person, not noise).</summary>
    private static ClusterAssignment Label(LinkageGroups groups, PersonConstraints? people)
    {
        int n = groups.Count;
        var labels = new int[n];
        var roles = new FaceRole[n];
        var clusterOfRoot = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int root = groups.RootOf(i);
            if (groups.SizeOf(root) < 2 && people?.Together[i] is not >= 0)
            {
                labels[i] = -1;
                roles[i] = FaceRole.Noise;
                continue;
            }

            if (!clusterOfRoot.TryGetValue(root, out int label))
            {
                label = clusterOfRoot.Count;
                clusterOfRoot.Add(root, label);
            }

            labels[i] = label;
            roles[i] = FaceRole.Core;
        }

        return new ClusterAssignment { Labels = labels, Roles = roles, ClusterCount = clusterOfRoot.Count };
    }
}
