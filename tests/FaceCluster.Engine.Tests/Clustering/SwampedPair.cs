namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>
/// Two rows whose float dot product loses every small term: a = (1 x 16, t x m), b = (1 x 8, -1 x 8, t x m) with
/// t^2 below half an ulp of 1, and the small terms between the two halves of the large ones, so that
/// every float accumulator (scalar, and each lane of Vector128 or Vector256) holds 1 while the small terms pass,
/// and they vanish. The true dot product is m t^2; the float one is 0.
/// </summary>
public static class SwampedPair
{
    /// <summary>16 + 2^17: m t^2 / |a||b| is about 4.4e-4, over the old fixed margin of 1e-4.</summary>
    public const int Dimension = 16 + 131072;

    public static (float[] A, float[] B, double Dot) Create(int dimension)
    {
        float t = (float)Math.Sqrt(0.45 * Math.ScaleB(1.0, -23)); // t^2 < half an ulp of 1 (2^-24)
        var a = new float[dimension];
        var b = new float[dimension];
        int m = dimension - 16;
        for (int k = 0; k < dimension; k++)
        {
            bool large = k < 8 || k >= 8 + m;
            a[k] = large ? 1 : t;
            b[k] = large ? (k < 8 ? 1 : -1) : t;
        }

        return (a, b, m * ((double)t * t));
    }

    public static double NormSquared(float[] a) => a.Sum(x => (double)x * x);
}
