using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Average-linkage agglomerative clustering (UPGMA) over a sparse neighbour graph, with cannot-link groups.
/// <para>
/// Definition: the distance between two points is their distance clipped at <see cref="AverageLinkageOptions.Cutoff"/>,
/// min(d, cutoff); the distance between two groups is the mean of that clipped distance over all pairs of their
/// members. Starting from single points, the two closest groups merge, again and again, while their distance is
/// at most <see cref="AverageLinkageOptions.Threshold"/>. The result is exact for that definition: only pairs
/// within the cut-off are stored (found by <see cref="NeighbourScan"/>, no N x N matrix), and every other pair
/// contributes exactly the cut-off to a mean. The cut-off must exceed the threshold, so two groups with no
/// stored pair between them (distance = the cut-off) never merge.
/// </para>
/// <para>
/// Why it resists chaining: a group of 200 faces joins another only if their faces are close on average, so one
/// path of close faces (which is all DBSCAN needs) cannot join two people.
/// </para>
/// <para>
/// Cannot-link: points with the same non-negative entry in the <c>groups</c> array (faces of one photo) never
/// end in the same cluster; a merge that would join them is skipped, and the next closest pair considered.
/// </para>
/// <para>
/// Points left alone are noise (label -1); every point of a cluster of two or more is <see cref="FaceRole.Core"/>.
/// Ties between equally close pairs are broken by the lower point indices, so the same input in the same order
/// always gives the same result.
/// </para>
/// </summary>
public sealed class AverageLinkageClusterer
{
    public ClusterAssignment Cluster(IReadOnlyList<float[]> vectors, AverageLinkageOptions options, IReadOnlyList<int>? cannotLinkGroups = null,
        CancellationToken ct = default, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Threshold > 0) || double.IsInfinity(options.Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Threshold, "Threshold must be a positive number.");
        }

        if (!(options.Cutoff > options.Threshold) || double.IsInfinity(options.Cutoff))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Cutoff, "Cutoff must be a finite number larger than Threshold.");
        }

        if (options.MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be at least 1.");
        }

        VectorSet set = VectorSet.Create(vectors, options.Metric, nameof(vectors));
        if (cannotLinkGroups is not null && cannotLinkGroups.Count != set.Count)
        {
            throw new ArgumentException($"{cannotLinkGroups.Count} cannot-link entries for {set.Count} vectors.", nameof(cannotLinkGroups));
        }

        if (set.Count == 0)
        {
            return ClusterAssignment.Empty;
        }

        int workers = Math.Min(options.MaxDegreeOfParallelism, Environment.ProcessorCount);
        var scan = new NeighbourScan(set, options.Cutoff);
        var meter = new ProgressMeter(progress, scan.TileCount * 10 / 9 + 1);
        var sink = new WeightedEdgeSink(set, workers);
        scan.Run(sink, workers, null, meter.Add, ct);
        var merger = new AverageLinkageMerger(set.Count, options.Threshold, options.Cutoff, cannotLinkGroups);
        merger.AddPairs(sink.Degrees(set.Count), sink.Drain());
        merger.Run(ct);
        progress?.Report(1.0);
        return Label(merger);
    }

    private static ClusterAssignment Label(AverageLinkageMerger merger)
    {
        int n = merger.Count;
        var labels = new int[n];
        var roles = new FaceRole[n];
        var clusterOfRoot = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int root = merger.RootOf(i);
            if (merger.SizeOf(root) < 2)
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
