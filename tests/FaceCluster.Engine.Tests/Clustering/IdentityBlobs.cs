namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>
/// Synthetic face-like encodings: identities are random directions on the unit sphere, each with an unbalanced
/// (Zipf-like) number of faces spread around it by Gaussian noise of length ~<c>spread</c>, then normalised (or, unnormalised, all scaled by 3 for Euclidean tests);
/// plus a share of unrelated random faces. Seeded, so the same arguments give the same vectors.
/// </summary>
public static class IdentityBlobs
{
    public static (List<float[]> Vectors, int[] Identity) Generate(int count, int dimension, int seed,
        double spread = 0.8, double outlierShare = 0.05, double meanFacesPerIdentity = 40, bool normalise = true)
    {
        var rng = new Random(seed);
        int outliers = (int)(count * outlierShare);
        int identities = Math.Max(1, (int)Math.Round((count - outliers) / meanFacesPerIdentity));
        // Zipf-like weights 1/(k+1)^0.8 give a few big identities and a long tail of small ones.
        double[] weights = Enumerable.Range(0, identities).Select(k => 1.0 / Math.Pow(k + 1, 0.8)).ToArray();
        double total = weights.Sum();
        var centres = new float[identities][];
        for (int k = 0; k < identities; k++)
        {
            centres[k] = RandomUnit(rng, dimension);
        }

        var vectors = new List<float[]>(count);
        var identity = new int[count];
        var cumulative = new double[identities];
        double acc = 0;
        for (int k = 0; k < identities; k++)
        {
            acc += weights[k] / total;
            cumulative[k] = acc;
        }

        double sigma = spread / Math.Sqrt(dimension);
        for (int i = 0; i < count; i++)
        {
            if (i < outliers)
            {
                vectors.Add(Scale(RandomUnit(rng, dimension), normalise ? 1f : 3f));
                identity[i] = -1;
                continue;
            }

            int k = Array.BinarySearch(cumulative, rng.NextDouble());
            k = k < 0 ? Math.Min(~k, identities - 1) : k;
            var v = new float[dimension];
            for (int t = 0; t < dimension; t++)
            {
                v[t] = (float)(centres[k][t] + sigma * Gaussian(rng));
            }

            if (normalise)
            {
                Normalise(v);
            }

            vectors.Add(normalise ? v : Scale(v, 3f));
            identity[i] = k;
        }

        // Shuffle so outliers are not all first.
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (vectors[i], vectors[j]) = (vectors[j], vectors[i]);
            (identity[i], identity[j]) = (identity[j], identity[i]);
        }

        return (vectors, identity);
    }

    private static float[] Scale(float[] v, float factor)
    {
        for (int t = 0; t < v.Length; t++)
        {
            v[t] *= factor;
        }

        return v;
    }

    private static float[] RandomUnit(Random rng, int dimension)
    {
        var v = new float[dimension];
        for (int t = 0; t < dimension; t++)
        {
            v[t] = (float)Gaussian(rng);
        }

        Normalise(v);
        return v;
    }

    internal static void Normalise(float[] v)
    {
        double s = 0;
        foreach (float x in v)
        {
            s += (double)x * x;
        }

        float inv = (float)(1 / Math.Sqrt(s));
        for (int t = 0; t < v.Length; t++)
        {
            v[t] *= inv;
        }
    }

    internal static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
