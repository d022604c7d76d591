using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Distances in double precision, computed the way scikit-learn does on float64 data: cosine normalises each
/// vector and takes 1 - dot; Euclidean sums squared differences. Used to decide pairs that the float kernel
/// puts too close to the boundary, and to find a border point's nearest core point.
/// </summary>
internal static class ExactDistance
{
    /// <summary>Euclidean length in double precision.</summary>
    public static double Norm(float[] v)
    {
        double s = 0;
        foreach (float x in v)
        {
            s += (double)x * x;
        }

        return Math.Sqrt(s);
    }

    /// <summary>
    /// A value that orders pairs like the distance and compares to <see cref="Threshold"/>: 1 - cosine similarity,
    /// or the squared Euclidean distance.
    /// </summary>
    public static double Surrogate(float[] a, double normA, float[] b, double normB, DistanceMetric metric)
    {
        double s = 0;
        if (metric == DistanceMetric.Cosine)
        {
            for (int k = 0; k < a.Length; k++)
            {
                s += (a[k] / normA) * (b[k] / normB);
            }

            return 1.0 - s;
        }

        for (int k = 0; k < a.Length; k++)
        {
            double t = (double)a[k] - b[k];
            s += t * t;
        }

        return s;
    }

    /// <summary>The bound on <see cref="Surrogate"/> for a pair to be neighbours (inclusive).</summary>
    public static double Threshold(double epsilon, DistanceMetric metric) =>
        metric == DistanceMetric.Cosine ? epsilon : epsilon * epsilon;

    /// <summary>The distance itself, from its surrogate.</summary>
    public static double FromSurrogate(double surrogate, DistanceMetric metric) =>
        metric == DistanceMetric.Cosine ? surrogate : Math.Sqrt(Math.Max(0, surrogate));
}
