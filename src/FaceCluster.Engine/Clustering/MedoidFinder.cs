using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// The medoid of a set of vectors: the one with the smallest total distance to the others; ties go to the
/// lowest index.
/// <para>
/// Cosine: the total distance of i is k - â_i . Σ â_j (â = v/|v|), so the medoid is the vector whose direction
/// has the largest dot product with the sum of all directions: exact, O(k d), in double. Euclidean distances
/// do not decompose; every pair is computed with the blocked float kernel (<see cref="DotTileKernel"/>),
/// rows in parallel, totals in double: O(k² d).
/// </para>
/// </summary>
internal static class MedoidFinder
{
    public static int IndexOfMedoid(IReadOnlyList<float[]> vectors, DistanceMetric metric, int workers = 1,
        CancellationToken ct = default)
    {
        if (vectors.Count <= 2)
        {
            return vectors.Count == 0 ? -1 : 0;
        }

        VectorSet set = VectorSet.Create(vectors, metric, nameof(vectors));
        double[] score = metric == DistanceMetric.Cosine ? NegatedCosineTotals(set) : EuclideanTotals(set, workers, ct);
        int best = 0;
        for (int i = 1; i < score.Length; i++)
        {
            if (score[i] < score[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>-â_i . Σ â_j: orders like the total cosine distance.</summary>
    private static double[] NegatedCosineTotals(VectorSet set)
    {
        var sum = new double[set.Dimension];
        for (int i = 0; i < set.Count; i++)
        {
            float[] v = set.Rows[i];
            double inv = 1.0 / set.Norms[i];
            for (int t = 0; t < sum.Length; t++)
            {
                sum[t] += v[t] * inv;
            }
        }

        var score = new double[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            float[] v = set.Rows[i];
            double s = 0;
            for (int t = 0; t < sum.Length; t++)
            {
                s += v[t] * sum[t];
            }

            score[i] = -s / set.Norms[i];
        }

        return score;
    }

    private static double[] EuclideanTotals(VectorSet set, int workers, CancellationToken ct)
    {
        const int B = NeighbourScan.BlockSize;
        int n = set.Count, blocks = (n + B - 1) / B;
        var totals = new double[n];
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = ct };
        Parallel.For(0, blocks, po, () => new float[B * B], (rb, _, tile) =>
        {
            int i0 = rb * B, ni = Math.Min(B, n - i0);
            for (int cb = 0; cb < blocks; cb++)
            {
                ct.ThrowIfCancellationRequested();
                int j0 = cb * B, nj = Math.Min(B, n - j0);
                DotTileKernel.Compute(set.Rows, i0, ni, set.Rows, j0, nj, set.Zero, tile, B);
                for (int r = 0; r < ni; r++)
                {
                    double ni2 = set.Norms[i0 + r] * set.Norms[i0 + r], s = 0;
                    for (int c = 0; c < nj; c++)
                    {
                        double nj2 = set.Norms[j0 + c] * set.Norms[j0 + c];
                        s += i0 + r == j0 + c ? 0 : Math.Sqrt(Math.Max(0, ni2 + nj2 - 2.0 * tile[r * B + c]));
                    }

                    totals[i0 + r] += s;
                }
            }

            return tile;
        }, _ => { });
        return totals;
    }
}
