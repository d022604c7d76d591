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
/// the budget.
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
/// Points left alone are noise (label -1); every point of a cluster of two or more is <see cref="FaceRole.Core"/>.
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
        CancellationToken ct = default, IProgress<double>? progress = null)
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
        var scan = new NeighbourScan(set, options.Threshold);
        var meter = new ProgressMeter(progress, scan.TileCount * 10 / 9 + 1);
        var groups = new LinkageGroups(set, cannotLinkGroups);
        double floor = double.NegativeInfinity;
        while (true)
        {
            if (LastRunPasses++ > 0)
            {
                meter.ExtendTotal(scan.TileCount);
            }

            (NearestNeighbourChain chain, double horizon) = CollectCandidates(scan, groups, options, floor, workers, meter, ct);
            chain.Run(ct);
            if (horizon >= options.Threshold)
            {
                break;
            }

            floor = horizon;
        }

        progress?.Report(1.0);
        return Label(groups);
    }

    /// <summary>One scan: the candidate pairs of groups up to the horizon it could hold, linked for merging (the pair buffer is released on return).</summary>
    private (NearestNeighbourChain Chain, double Horizon) CollectCandidates(NeighbourScan scan, LinkageGroups groups,
        AverageLinkageOptions options, double floor, int workers, ProgressMeter meter, CancellationToken ct)
    {
        var buffer = new GroupPairBuffer(groups, options.Threshold, floor, options.PairBudget, workers);
        scan.Run(buffer, workers, null, meter.Add, ct);
        (long[] keys, int count, double horizon) = buffer.Finish();
        LastRunExceededBudget |= buffer.Grown;
        return (new NearestNeighbourChain(groups, keys, count, horizon), horizon);
    }

    private static ClusterAssignment Label(LinkageGroups groups)
    {
        int n = groups.Count;
        var labels = new int[n];
        var roles = new FaceRole[n];
        var clusterOfRoot = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int root = groups.RootOf(i);
            if (groups.SizeOf(root) < 2)
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
