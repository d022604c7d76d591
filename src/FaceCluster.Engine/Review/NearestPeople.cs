using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// For each person, the most alike other person: the one holding the face nearest to any of its faces (in the
/// clustering's metric; same model pack only), among the <see cref="Candidates"/> people whose mean face is nearest
/// its own. The review page's suggestion for "merge these two": a person split in two usually leaves faces of the
/// two pieces side by side, even when the pieces' typical faces differ; the nearest pair names the rest of a split
/// person more often than the nearest representatives did (docs/benchmarks.md, "Review hints"). A hint for a
/// reviewer, not a clustering decision.
/// <para>
/// Cost, bounded so that a million-face export pays for it once in seconds: the candidates come from every pair of
/// mean faces, compared with the blocked float kernel (<see cref="DotTileKernel"/>) and those within its rounding
/// bound of the <see cref="Candidates"/>-th nearest decided again in double, so they are exactly the nearest means
/// (ties: the lower person id). Of a person with more than <see cref="FacesCompared"/> faces, only that many take
/// part in the nearest-face search (<see cref="NearestClusterFinder"/>), as the person searched from and as a
/// candidate: every k-th face in the person's order, k the ceiling of its faces over <see cref="FacesCompared"/>. The
/// mean face is always that of all its faces.
/// </para>
/// </summary>
public static class NearestPeople
{
    /// <summary>How many people, nearest by mean face, are searched for the nearest face.</summary>
    public const int Candidates = 8;

    /// <summary>The most faces of one person compared face by face (a larger person's faces are sampled evenly).</summary>
    public const int FacesCompared = 200;

    private const int B = 64;

    /// <returns>Person id to the id of its most alike other person (ties: the lower id); people without faces, or
    /// without another person of the same model pack, are absent.</returns>
    public static IReadOnlyDictionary<int, int> Find(IReadOnlyList<FaceGroup> groups, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var nearest = new Dictionary<int, int>();
        foreach (var pack in groups.Where(g => !g.IsDoubtful && g.FaceCount > 0).OrderBy(g => g.Id)
            .GroupBy(g => (g.Members[0].Face.Model, g.Members[0].Face.Vector.Length)))
        {
            FaceGroup[] people = [.. pack];
            var metric = people[0].Clustering?.Metric ?? DistanceMetric.Cosine;
            var vectors = new List<float[]>();
            var members = new int[people.Length][];
            for (int k = 0; k < people.Length; k++)
            {
                IReadOnlyList<ClusterMember> faces = people[k].Members;
                int stride = (faces.Count + FacesCompared - 1) / FacesCompared;
                members[k] = Enumerable.Range(vectors.Count, (faces.Count + stride - 1) / stride).ToArray();
                for (int i = 0; i < faces.Count; i += stride)
                {
                    vectors.Add(faces[i].Face.Vector);
                }
            }

            var means = people.Select(p => Mean(p.Faces.Select(f => f.Vector), metric)).ToArray();
            int[][] near = NearestMeans(means, metric, cancellationToken);
            var found = new int[people.Length];
            var options = new FaceClusteringOptions { Metric = metric, MaxDegreeOfParallelism = 1 };
            var roles = Enumerable.Repeat(FaceRole.Core, vectors.Count).ToArray();
            Parallel.For(0, people.Length, new ParallelOptions { CancellationToken = cancellationToken }, k =>
            {
                NearestCluster?[] pairs = NearestClusterFinder.Find(vectors, near[k].Select(q => members[q]).ToArray(), roles, members[k], options, cancellationToken);
                found[k] = pairs.Where(n => n is not null).MinBy(n => (n!.Value.Distance, n.Value.ClusterId)) is { } best ? near[k][best.ClusterId] : -1;
            });
            for (int k = 0; k < people.Length; k++)
            {
                if (found[k] >= 0)
                {
                    nearest[people[k].Id] = people[found[k]].Id;
                }
            }
        }

        return nearest;
    }

    /// <summary>
    /// Per person, the (at most) <see cref="Candidates"/> other people whose means are nearest by
    /// <see cref="ExactDistance.Surrogate"/> (ties: the lower index), in increasing index order. Float kernel first;
    /// every pair within its error bound of a row's running <see cref="Candidates"/>-th best is decided in double.
    /// </summary>
    private static int[][] NearestMeans(float[][] means, DistanceMetric metric, CancellationToken ct)
    {
        int n = means.Length, d = means[0].Length;
        bool cosine = metric == DistanceMetric.Cosine;
        double[] norms = means.Select(ExactDistance.Norm).ToArray();
        float[][] rows = cosine ? means.Select((m, k) => m.Select(v => (float)(v / norms[k])).ToArray()).ToArray() : means;
        double[] rowNorms = cosine ? rows.Select(ExactDistance.Norm).ToArray() : norms;
        double maxNorm = rowNorms.DefaultIfEmpty(0).Max();
        // The kernel's error (gamma |a| |b|, doubled in the Euclidean surrogate), the rounding of unit rows to float,
        // and slack for the double arithmetic.
        double gamma = DotTileKernel.DotErrorBound(d);
        var zero = new float[d];
        var result = new int[n][];
        int blocks = (n + B - 1) / B;
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = ct }, () => new float[B * B], (qb, _, tile) =>
        {
            int q0 = qb * B, nq = Math.Min(B, n - q0);
            var kept = Enumerable.Range(0, nq).Select(_ => new List<int>()).ToArray();
            var bounds = Enumerable.Range(0, nq).Select(_ => new PriorityQueue<double, double>()).ToArray();
            var margin = new double[nq];
            for (int r = 0; r < nq; r++)
            {
                margin[r] = (4 * gamma * rowNorms[q0 + r] * maxNorm) + (cosine ? 1e-6 : 1e-6 * ((rowNorms[q0 + r] * rowNorms[q0 + r]) + (maxNorm * maxNorm)));
            }

            for (int cb = 0; cb < blocks; cb++)
            {
                ct.ThrowIfCancellationRequested();
                int c0 = cb * B, nc = Math.Min(B, n - c0);
                DotTileKernel.Compute(rows, q0, nq, rows, c0, nc, zero, tile, B);
                for (int r = 0; r < nq; r++)
                {
                    int k = q0 + r;
                    PriorityQueue<double, double> upper = bounds[r];
                    for (int c = 0; c < nc; c++)
                    {
                        int q = c0 + c;
                        if (q == k)
                        {
                            continue;
                        }

                        double dot = tile[(r * B) + c];
                        double s = cosine ? 1.0 - dot : (norms[k] * norms[k]) + (norms[q] * norms[q]) - (2 * dot);
                        double limit = upper.Count < Candidates ? double.PositiveInfinity : upper.Peek();
                        if (s - margin[r] <= limit)
                        {
                            kept[r].Add(q);
                            // Max-heap of the smallest upper bounds seen: its top is the Candidates-th smallest.
                            if (upper.Count < Candidates)
                            {
                                upper.Enqueue(s + margin[r], -(s + margin[r]));
                            }
                            else if (s + margin[r] < upper.Peek())
                            {
                                upper.EnqueueDequeue(s + margin[r], -(s + margin[r]));
                            }
                        }
                    }
                }
            }

            for (int r = 0; r < nq; r++)
            {
                int k = q0 + r;
                result[k] = kept[r].Select(q => (Q: q, S: ExactDistance.Surrogate(means[k], norms[k], means[q], norms[q], metric)))
                    .OrderBy(t => t.S).ThenBy(t => t.Q).Take(Candidates).Select(t => t.Q).Order().ToArray();
            }

            return tile;
        }, _ => { });
        return result;
    }

    /// <summary>The mean of the vectors (cosine: of their directions), summed in double.</summary>
    private static float[] Mean(IEnumerable<float[]> vectors, DistanceMetric metric)
    {
        double[]? sum = null;
        int count = 0;
        foreach (float[] v in vectors)
        {
            sum ??= new double[v.Length];
            double scale = metric == DistanceMetric.Cosine ? 1 / ExactDistance.Norm(v) : 1;
            for (int t = 0; t < v.Length; t++)
            {
                sum[t] += v[t] * scale;
            }

            count++;
        }

        return sum!.Select(s => (float)(s / count)).ToArray();
    }
}
