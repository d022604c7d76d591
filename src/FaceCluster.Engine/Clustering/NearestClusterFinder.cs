using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// For each doubtful face, the nearest cluster: the cluster of its nearest member (DBSCAN: of its nearest core
/// member, the distance that makes a border face; a cluster without a core member, possible only after the
/// one-face-per-photo rule, is never nearest), and the distance to that member. The nearest member names the face's
/// person more often than the average-linkage distance to the whole cluster (docs/benchmarks.md, "Review hints").
/// The clusters may hold another face of the face's photo: the answer is a hint for a person reviewing. A cluster the
/// face was taken out of (a removal correction) is never its nearest.
/// <para>
/// Every face is compared with every (core) member, O(faces x members x dim), as a blocked float matrix product
/// (<see cref="DotTileKernel"/>), blocks of faces in parallel. Candidates within the kernel's rounding bound of the
/// best are compared again in double, so the answer (ties: the lower cluster id) does not depend on the kernel's
/// summation order.
/// </para>
/// </summary>
public static class NearestClusterFinder
{
    private const int B = NeighbourScan.BlockSize;

    /// <param name="vectors">All faces.</param>
    /// <param name="clusters">The members of cluster k (indices into <paramref name="vectors"/>), by cluster id.</param>
    /// <param name="roles">Role of each face: faces are compared with core members only (every member of an
    /// average-linkage cluster is core).</param>
    /// <param name="faces">The faces to place (indices into <paramref name="vectors"/>).</param>
    /// <param name="options">Metric and threads.</param>
    /// <param name="ct">Cancels the search.</param>
    /// <param name="excluded">Per face of <paramref name="faces"/>, the clusters (indices into <paramref name="clusters"/>)
    /// it may not be placed in, or null; null: none.</param>
    /// <returns>Per face of <paramref name="faces"/>, its nearest cluster; null when there is no cluster to compare with.</returns>
    public static NearestCluster?[] Find(IReadOnlyList<float[]> vectors, IReadOnlyList<IReadOnlyList<int>> clusters,
        IReadOnlyList<FaceRole> roles, IReadOnlyList<int> faces, FaceClusteringOptions options, CancellationToken ct = default,
        IReadOnlyList<IReadOnlySet<int>?>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(options);
        var result = new NearestCluster?[faces.Count];
        Candidates candidates = Candidates.CoreMembers(vectors, clusters, roles, options.Metric);
        if (faces.Count == 0 || candidates.Count == 0)
        {
            return result;
        }

        bool cosine = options.Metric == DistanceMetric.Cosine;
        float[][] rows = faces.Select(i => vectors[i]).ToArray();
        double[] norms = rows.Select(ExactDistance.Norm).ToArray();
        var zero = new float[rows[0].Length];

        // |fl(x.c) - x.c| <= gamma_d |x| |c| for any summation order; the surrogates scale x.c by candidates'
        // factors, bounded by MaxScale. Two such errors apart is the margin.
        double gamma = DotTileKernel.DotErrorBound(zero.Length);
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = ct };
        int blocks = (rows.Length + B - 1) / B, candidateBlocks = (candidates.Count + B - 1) / B;
        Parallel.For(0, blocks, po, () => (Tile: new float[B * B], Near: NewLists()), (qb, _, local) =>
        {
            int q0 = qb * B, nq = Math.Min(B, rows.Length - q0);
            var best = new double[nq];
            Array.Fill(best, double.PositiveInfinity);
            var margin = new double[nq];
            for (int r = 0; r < nq; r++)
            {
                local.Near[r].Clear();
                margin[r] = 2 * gamma * candidates.MaxScale * (cosine ? 1 : norms[q0 + r]);
            }

            for (int cb = 0; cb < candidateBlocks; cb++)
            {
                ct.ThrowIfCancellationRequested();
                int c0 = cb * B, nc = Math.Min(B, candidates.Count - c0);
                DotTileKernel.Compute(rows, q0, nq, candidates.Rows, c0, nc, zero, local.Tile, B);
                for (int r = 0; r < nq; r++)
                {
                    double normX = norms[q0 + r];
                    IReadOnlySet<int>? not = excluded?[q0 + r];
                    for (int c = 0; c < nc; c++)
                    {
                        double s = candidates.Surrogate(c0 + c, local.Tile[r * B + c], normX);
                        if (s <= best[r] + margin[r] && (not is null || !not.Contains(candidates.Owner[c0 + c])))
                        {
                            local.Near[r].Add(c0 + c);
                            best[r] = Math.Min(best[r], s);
                        }
                    }
                }
            }

            for (int r = 0; r < nq; r++)
            {
                result[q0 + r] = Decide(local.Near[r], rows[q0 + r], norms[q0 + r], candidates, options.Metric);
            }

            return local;
        }, _ => { });
        return result;
    }

    private static List<int>[] NewLists() => Enumerable.Range(0, B).Select(_ => new List<int>()).ToArray();

    /// <summary>
    /// <see cref="Find"/> on the approximate search (issue 22): each face's nearest cluster among the clusters of its
    /// approximate neighbours (<see cref="NeighbourGraph"/>), the distance computed exactly; null when none of them is a
    /// (core) member of a cluster it may be placed in. O(faces x neighbours), not O(faces x members).
    /// </summary>
    internal static NearestCluster?[] FindAmongNeighbours(NeighbourGraph graph, IReadOnlyList<float[]> vectors,
        IReadOnlyList<IReadOnlyList<int>> clusters, IReadOnlyList<FaceRole> roles, IReadOnlyList<int> faces, DistanceMetric metric,
        IReadOnlyList<IReadOnlySet<int>?>? excluded = null)
    {
        var clusterOf = new int[vectors.Count];
        Array.Fill(clusterOf, -1);
        for (int k = 0; k < clusters.Count; k++)
        {
            foreach (int i in clusters[k].Where(i => roles[i] == FaceRole.Core))
            {
                clusterOf[i] = k;
            }
        }

        var result = new NearestCluster?[faces.Count];
        Parallel.For(0, faces.Count, f =>
        {
            float[] x = vectors[faces[f]];
            double normX = ExactDistance.Norm(x);
            double best = double.PositiveInfinity;
            foreach (int j in graph.Of(faces[f]).Points.Span)
            {
                int k = clusterOf[j];
                if (k < 0 || excluded?[f]?.Contains(k) == true)
                {
                    continue;
                }

                double d = ExactDistance.Surrogate(x, normX, vectors[j], ExactDistance.Norm(vectors[j]), metric);
                if (d < best || (d == best && k < result[f]!.Value.ClusterId))
                {
                    best = d;
                    result[f] = new NearestCluster(k, d);
                }
            }

            result[f] = result[f] is { } near ? near with { Distance = ExactDistance.FromSurrogate(near.Distance, metric) } : null;
        });

        return result;
    }

    /// <summary>The nearest of the near candidates, in double; ties go to the lower index (the lower cluster id); null when none.</summary>
    private static NearestCluster? Decide(List<int> near, float[] x, double normX, Candidates candidates, DistanceMetric metric)
    {
        int bestIndex = -1;
        double best = double.PositiveInfinity;
        foreach (int c in near)
        {
            double dot = 0;
            float[] row = candidates.Rows[c];
            for (int k = 0; k < x.Length; k++)
            {
                dot += (double)x[k] * row[k];
            }

            double s = candidates.Surrogate(c, dot, normX);
            if (s < best || (s == best && c < bestIndex))
            {
                (best, bestIndex) = (s, c);
            }
        }

        return bestIndex < 0 ? null : new NearestCluster(candidates.Owner[bestIndex], ExactDistance.FromSurrogate(best, metric));
    }

    /// <summary>
    /// The rows a face is compared with and the cluster each belongs to, in cluster order. Surrogate (ordered like
    /// the distance): cosine 1 - (x.c) Scale / |x|; Euclidean |x|² + Square - 2 x.c.
    /// </summary>
    private sealed class Candidates
    {
        private Candidates(float[][] rows, int[] owner, double[] scale, double[] square, bool cosine)
        {
            Rows = rows;
            Owner = owner;
            _scale = scale;
            _square = square;
            _cosine = cosine;
            for (int c = 0; c < rows.Length; c++)
            {
                // Bound on the factor of x.c in the surrogate, times |c| (the kernel's error scales with |x| |c|).
                double norm = ExactDistance.Norm(rows[c]);
                MaxScale = Math.Max(MaxScale, cosine ? norm * scale[c] : 2 * norm);
            }
        }

        private readonly double[] _scale;
        private readonly double[] _square;
        private readonly bool _cosine;

        public float[][] Rows { get; }

        public int[] Owner { get; }

        public double MaxScale { get; }

        public int Count => Rows.Length;

        public double Surrogate(int c, double dot, double normX) =>
            _cosine ? 1.0 - (dot * _scale[c] / normX) : Math.Max(0, (normX * normX) + _square[c] - (2 * dot));

        /// <summary>Each core member as it is.</summary>
        public static Candidates CoreMembers(IReadOnlyList<float[]> vectors, IReadOnlyList<IReadOnlyList<int>> clusters,
            IReadOnlyList<FaceRole> roles, DistanceMetric metric)
        {
            var rows = new List<float[]>();
            var owner = new List<int>();
            for (int k = 0; k < clusters.Count; k++)
            {
                foreach (int i in clusters[k].Where(i => roles[i] == FaceRole.Core))
                {
                    rows.Add(vectors[i]);
                    owner.Add(k);
                }
            }

            double[] norms = rows.Select(ExactDistance.Norm).ToArray();
            bool cosine = metric == DistanceMetric.Cosine;
            return new Candidates(rows.ToArray(), owner.ToArray(),
                cosine ? norms.Select(n => 1 / n).ToArray() : [], cosine ? [] : norms.Select(n => n * n).ToArray(), cosine);
        }
    }
}
