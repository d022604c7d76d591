using System.Numerics.Tensors;
using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Chooses average linkage's group threshold from the library's own distances (<see cref="LibraryThresholdRule"/>).
/// <para>
/// The pairs of faces within a distance d are pairs of one person or of two different people. Pairs of different
/// people are nearly all the pairs of a library, so their number within d is about (all pairs) x (the pack's measured
/// share of different-people pairs within d); the rest of the pairs within d are one person's. The threshold is the
/// largest d, from the pair threshold up to the rule's ceiling in the rule's steps, at which the expected different-
/// people pairs are at most <see cref="LibraryThresholdRule.FalsePairShare"/> of the pairs within d; the pair
/// threshold itself when no d qualifies. A library of a few people photographed often holds many close pairs of one
/// person and gets a larger threshold; one of many people seen once or twice gets one near the pair threshold.
/// </para>
/// <para>
/// The pairs are counted among a sample of at most <see cref="SampleSize"/> faces, every k-th face in the order given
/// (all of them in a smaller library): one person's share of the pairs is the same in a sample taken evenly. The same
/// faces in the same order always give the same threshold.
/// </para>
/// </summary>
public static class LibraryThreshold
{
    /// <summary>The most faces whose pairs are counted (about 8 million pairs).</summary>
    public const int SampleSize = 4000;

    public static double Choose(IReadOnlyList<float[]> vectors, DistanceMetric metric, double pairThreshold, LibraryThresholdRule rule,
        int maxDegreeOfParallelism, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(rule);
        double[] candidates = Candidates(pairThreshold, rule);
        if (candidates.Length == 0 || vectors.Count < 2)
        {
            return pairThreshold;
        }

        float[][] sample = Sample(vectors, metric);
        long[] within = CountWithin(sample, metric, candidates, maxDegreeOfParallelism, ct);
        double pairs = (double)sample.Length * (sample.Length - 1) / 2;
        double chosen = pairThreshold;
        for (int k = 0; k < candidates.Length; k++)
        {
            if (pairs * rule.DifferentPeopleShare(candidates[k]) <= rule.FalsePairShare * within[k])
            {
                chosen = candidates[k];
            }
        }

        return chosen;
    }

    /// <summary>The thresholds tried: the pair threshold, then the rule's steps above it up to the ceiling.</summary>
    private static double[] Candidates(double pairThreshold, LibraryThresholdRule rule)
    {
        var list = new List<double>();
        for (int k = 0; ; k++)
        {
            double t = Math.Round(rule.DistanceFrom + (k * rule.DistanceStep), 6);
            if (t > rule.MaxThreshold)
            {
                break;
            }

            if (t >= pairThreshold)
            {
                list.Add(t);
            }
        }

        return list.ToArray();
    }

    /// <summary>Every k-th vector (k = ceiling of count / SampleSize), scaled to unit length for cosine.</summary>
    private static float[][] Sample(IReadOnlyList<float[]> vectors, DistanceMetric metric)
    {
        int stride = (vectors.Count + SampleSize - 1) / SampleSize;
        var sample = new float[(vectors.Count + stride - 1) / stride][];
        for (int k = 0; k < sample.Length; k++)
        {
            float[] v = vectors[k * stride];
            if (metric == DistanceMetric.Cosine)
            {
                var unit = new float[v.Length];
                TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), unit);
                v = unit;
            }

            sample[k] = v;
        }

        return sample;
    }

    /// <summary>Entry k: the sample pairs at a distance of at most candidates[k].</summary>
    private static long[] CountWithin(float[][] sample, DistanceMetric metric, double[] candidates, int workers, CancellationToken ct)
    {
        var total = new long[candidates.Length];
        double top = candidates[^1];
        Parallel.For(0, sample.Length, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct },
            () => new long[candidates.Length],
            (i, _, counts) =>
            {
                for (int j = i + 1; j < sample.Length; j++)
                {
                    double d = metric == DistanceMetric.Cosine
                        ? 1.0 - TensorPrimitives.Dot(sample[i], sample[j])
                        : TensorPrimitives.Distance(sample[i], sample[j]);
                    if (d <= top)
                    {
                        // The first candidate at or above d: the pair counts for it and every larger one.
                        int k = Array.BinarySearch(candidates, d);
                        counts[k < 0 ? ~k : k]++;
                    }
                }

                return counts;
            },
            counts =>
            {
                lock (total)
                {
                    for (int k = 0; k < counts.Length; k++)
                    {
                        total[k] += counts[k];
                    }
                }
            });

        for (int k = 1; k < total.Length; k++)
        {
            total[k] += total[k - 1];
        }

        return total;
    }
}
