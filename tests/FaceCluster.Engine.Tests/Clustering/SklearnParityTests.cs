using FaceCluster.Engine.Clustering;
using FaceCluster.Model;
using Xunit.Abstractions;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>
/// Exact parity with scikit-learn's DBSCAN (Debian's python3-sklearn, run by /usr/bin/python3). Fails, does
/// not skip, when sklearn is missing: CI installs it.
/// </summary>
public class SklearnParityTests(ITestOutputHelper output)
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Clustering", "sklearn_dbscan.py");

    [Theory]
    [InlineData(2500, 64, 0.35, 5, DistanceMetric.Cosine, false)]
    [InlineData(2000, 128, 0.40, 3, DistanceMetric.Cosine, true)]
    [InlineData(600, 2048, 0.39, 4, DistanceMetric.Cosine, false)] // the margin at a wide dimension
    [InlineData(1500, 32, 3.0, 4, DistanceMetric.Euclidean, false)]
    [InlineData(1200, 32, 2.6, 1, DistanceMetric.Euclidean, true)]
    public void Matches_scikit_learn(int n, int d, double eps, int minSamples, DistanceMetric metric, bool recompute)
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(n, d, seed: n + d, normalise: metric == DistanceMetric.Cosine);
        var clusterer = new DbscanClusterer { PairBudget = recompute ? 1000 : 64L << 20 };
        ClusterAssignment ours = clusterer.Cluster(v, new DbscanOptions { Epsilon = eps, MinSamples = minSamples, Metric = metric });
        Assert.Equal(recompute, clusterer.LastRunRecomputed);

        SklearnOracle sk = SklearnOracle.Run(v, eps, minSamples, metric, Script);
        DbscanParity parity = DbscanParity.Compare(ours, sk);
        output.WriteLine(parity.ToString());
        Assert.True(parity.Identical, parity.ToString());
        Assert.True(parity.Clusters > 1 && (minSamples == 1 || (parity.BorderPoints > 0 && parity.NoisePoints > 0)), "test data should have clusters, border points and noise: " + parity);
    }
}
