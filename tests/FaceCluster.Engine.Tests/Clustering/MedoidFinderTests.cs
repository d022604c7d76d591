using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

public class MedoidFinderTests
{
    [Fact]
    public void Euclidean_tie_goes_to_lowest_index()
    {
        // Totals: 0 -> 1+2+10 = 13, 1 -> 1+1+9 = 11, 2 -> 2+1+8 = 11, 10 -> 27: tie between 1 and 2.
        float[][] v = [[0f], [1f], [2f], [10f]];
        Assert.Equal(1, MedoidFinder.IndexOfMedoid(v, DistanceMetric.Euclidean));
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    public void Matches_brute_force(DistanceMetric metric)
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(301, 20, seed: 9, outlierShare: 0, meanFacesPerIdentity: 301);
        double[] totals = v.Select(a => v.Sum(b => Distance(a, b, metric))).ToArray();
        int expected = Array.IndexOf(totals, totals.Min());
        Assert.Equal(expected, MedoidFinder.IndexOfMedoid(v, metric, workers: 2));
    }

    private static double Distance(float[] a, float[] b, DistanceMetric metric)
    {
        double dot = 0, na = 0, nb = 0, d2 = 0;
        for (int t = 0; t < a.Length; t++)
        {
            dot += (double)a[t] * b[t];
            na += (double)a[t] * a[t];
            nb += (double)b[t] * b[t];
            d2 += ((double)a[t] - b[t]) * ((double)a[t] - b[t]);
        }

        return metric == DistanceMetric.Cosine ? 1 - dot / Math.Sqrt(na * nb) : Math.Sqrt(d2);
    }
}
