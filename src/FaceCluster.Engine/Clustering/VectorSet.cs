using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>Validated input vectors with their double-precision norms. The vectors are not copied.</summary>
internal sealed class VectorSet
{
    private VectorSet(float[][] rows, double[] norms, DistanceMetric metric)
    {
        Rows = rows;
        Norms = norms;
        Metric = metric;
        Zero = new float[rows.Length == 0 ? 0 : rows[0].Length];
    }

    public float[][] Rows { get; }

    /// <summary>|v| in double.</summary>
    public double[] Norms { get; }

    public DistanceMetric Metric { get; }

    public int Count => Rows.Length;

    public int Dimension => Zero.Length;

    /// <summary>A zero row of the right length (padding for the kernel).</summary>
    public float[] Zero { get; }

    /// <summary>Exact (double) distance surrogate between rows i and j; see <see cref="ExactDistance.Surrogate"/>.</summary>
    public double Surrogate(int i, int j) => ExactDistance.Surrogate(Rows[i], Norms[i], Rows[j], Norms[j], Metric);

    /// <summary>
    /// Checks the vectors: same length, finite, and for cosine not all zero (scikit-learn would call a zero
    /// vector at distance 1 from everything, itself included).
    /// </summary>
    public static VectorSet Create(IReadOnlyList<float[]> vectors, DistanceMetric metric, string paramName)
    {
        ArgumentNullException.ThrowIfNull(vectors, paramName);
        var rows = new float[vectors.Count][];
        var norms = new double[rows.Length];
        int d = -1;
        for (int i = 0; i < rows.Length; i++)
        {
            float[] v = vectors[i] ?? throw new ArgumentException($"Vector {i} is null.", paramName);
            if (d < 0)
            {
                d = v.Length;
                if (d == 0)
                {
                    throw new ArgumentException("Vectors must not be empty.", paramName);
                }
            }
            else if (v.Length != d)
            {
                throw new ArgumentException($"Vector {i} has {v.Length} dimensions; vector 0 has {d}.", paramName);
            }

            foreach (float x in v)
            {
                if (!float.IsFinite(x))
                {
                    throw new ArgumentException($"Vector {i} contains {(float.IsNaN(x) ? "NaN" : "an infinity")}.", paramName);
                }
            }

            norms[i] = ExactDistance.Norm(v);
            if (metric == DistanceMetric.Cosine && norms[i] == 0)
            {
                throw new ArgumentException($"Vector {i} is all zeros and has no direction to compare by cosine.", paramName);
            }

            rows[i] = v;
        }

        return new VectorSet(rows, norms, metric);
    }
}
