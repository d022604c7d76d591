using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Exact DBSCAN with scikit-learn's definition: a point is core when at least MinSamples points, itself
/// included, lie within Epsilon (distance &lt;= Epsilon); clusters are the connected core points plus the
/// non-core points within Epsilon of one of them (border points); the rest is noise.
/// <para>
/// A border point within reach of several clusters goes to the cluster of its NEAREST core point (exact double
/// distance; on a tie, the core point with the lower index). scikit-learn gives it to whichever cluster its
/// expansion reaches first, which depends on the order of the input; this rule does not.
/// </para>
/// <para>
/// No distance matrix is kept. Pass 1 computes all pairwise distances in blocks (<see cref="NeighbourScan"/>)
/// to count neighbours, keeping the neighbour pairs while they fit in <see cref="PairBudget"/>; pass 2 links
/// core points with union-find and finds each border point's nearest core, from the kept pairs or, if they
/// did not fit, by computing the distances again (skipping tiles without core points).
/// </para>
/// </summary>
public sealed class DbscanClusterer
{
    /// <summary>Neighbour pairs kept from pass 1 (4 bytes each); more than this and pass 2 recomputes them.</summary>
    internal long PairBudget { get; init; } = 64L << 20;

    /// <summary>True when the last call had to compute the distances twice. For tests and the benchmark.</summary>
    internal bool LastRunRecomputed { get; private set; }

    public ClusterAssignment Cluster(IReadOnlyList<float[]> vectors, DbscanOptions options, CancellationToken ct = default,
        IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Epsilon > 0) || double.IsInfinity(options.Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Epsilon, "Epsilon must be a positive number.");
        }

        if (options.MinSamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinSamples, "MinSamples must be at least 1.");
        }

        if (options.MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be at least 1.");
        }

        VectorSet set = VectorSet.Create(vectors, options.Metric, nameof(vectors));
        if (set.Count == 0)
        {
            return ClusterAssignment.Empty;
        }

        int workers = Math.Min(options.MaxDegreeOfParallelism, Environment.ProcessorCount);
        IPairSource scan = options.Neighbours?.Within(options.Epsilon) ?? new NeighbourScan(set, options.Epsilon);
        var meter = new ProgressMeter(progress, scan.TileCount);

        var counter = new NeighbourCounter(set.Count, workers, PairBudget);
        scan.Run(counter, workers, null, meter.Add, ct);
        int[] sizes = counter.NeighbourhoodSizes();
        bool[] core = new bool[set.Count];
        for (int i = 0; i < core.Length; i++)
        {
            core[i] = sizes[i] >= options.MinSamples;
        }

        var linker = new ClusterLinker(set, core);
        LastRunRecomputed = !counter.StoredAll;
        if (counter.StoredAll)
        {
            counter.Replay(linker, workers, ct);
            counter.Release();
        }
        else
        {
            counter.Release();
            meter.ExtendTotal(scan.TileCount);
            scan.Run(linker, workers, linker.MayMatter, meter.Add, ct);
        }

        ClusterAssignment result = Label(core, linker);
        progress?.Report(1.0);
        return result;
    }

    /// <summary>Numbers the clusters in order of their lowest-index point and assigns roles.</summary>
    private static ClusterAssignment Label(bool[] core, ClusterLinker linker)
    {
        int n = core.Length;
        var labels = new int[n];
        var roles = new FaceRole[n];
        var clusterOfRoot = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int anchor = core[i] ? i : linker.NearestCore[i];
            if (anchor < 0)
            {
                labels[i] = -1;
                roles[i] = FaceRole.Noise;
                continue;
            }

            int root = linker.Components.Find(anchor);
            if (!clusterOfRoot.TryGetValue(root, out int label))
            {
                label = clusterOfRoot.Count;
                clusterOfRoot.Add(root, label);
            }

            labels[i] = label;
            roles[i] = core[i] ? FaceRole.Core : FaceRole.Border;
        }

        return new ClusterAssignment { Labels = labels, Roles = roles, ClusterCount = clusterOfRoot.Count };
    }
}
