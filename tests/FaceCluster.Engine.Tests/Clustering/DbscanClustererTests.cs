using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

public class DbscanClustererTests
{
    private static DbscanOptions Euclid(double eps, int min) => new() { Epsilon = eps, MinSamples = min, Metric = DistanceMetric.Euclidean };

    private static List<float[]> Line(params float[] xs) => xs.Select(x => new[] { x, 0f }).ToList();

    [Fact]
    public void Empty_input_gives_empty_result()
    {
        ClusterAssignment r = new DbscanClusterer().Cluster([], Euclid(1, 2));
        Assert.Empty(r.Labels);
        Assert.Empty(r.Roles);
        Assert.Equal(0, r.ClusterCount);
    }

    [Fact]
    public void Rejects_bad_input()
    {
        var c = new DbscanClusterer();
        Assert.Throws<ArgumentException>(() => c.Cluster([new float[2], new float[3]], Euclid(1, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Cluster(Line(0), Euclid(0, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Cluster(Line(0), Euclid(-1, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Cluster(Line(0), Euclid(1, 0)));
        List<float[]> nan = Line(0, 1, float.NaN);
        var e = Assert.Throws<ArgumentException>(() => c.Cluster(nan, Euclid(1, 2)));
        Assert.Contains("Vector 2", e.Message);
    }

    [Fact]
    public void Two_clusters_and_noise_with_eps_inclusive()
    {
        // Distances of exactly eps (1) count as neighbours, as in scikit-learn.
        ClusterAssignment r = new DbscanClusterer().Cluster(Line(0, 1, 2, 10, 11, 12, 50), Euclid(1, 2));
        Assert.Equal([0, 0, 0, 1, 1, 1, -1], r.Labels);
        Assert.Equal(2, r.ClusterCount);
        Assert.All(r.Roles.Take(6), role => Assert.Equal(FaceRole.Core, role));
        Assert.Equal(FaceRole.Noise, r.Roles[6]);
    }

    [Theory]
    [InlineData(2.05f, 0)] // 1.05 from core 1.0 (cluster A), 1.15 from core 3.2 (cluster B): goes to A
    [InlineData(2.15f, 1)] // 1.15 from A, 1.05 from B: goes to B
    public void Border_point_goes_to_cluster_of_nearest_core(float x, int expectedCluster)
    {
        // Index 0 is the border point; A = {0, .3, .6, 1} and B = {3.2, 3.5, 3.8, 4.2} are core (4 within 1.2);
        // the border point has only 3 (itself, 1.0 and 3.2). Clusters are numbered by their lowest index
        // point, so A (indices 1..4) is 0 unless the border point (index 0) joins B.
        ClusterAssignment r = new DbscanClusterer().Cluster(Line(x, 0, 0.3f, 0.6f, 1, 3.2f, 3.5f, 3.8f, 4.2f), Euclid(1.2, 4));
        Assert.Equal(FaceRole.Border, r.Roles[0]);
        Assert.Equal(2, r.ClusterCount);
        int a = r.Labels[1], b = r.Labels[5];
        Assert.Equal(expectedCluster == 0 ? a : b, r.Labels[0]);
        Assert.Equal(0, r.Labels[0]);
    }

    [Fact]
    public void Same_result_with_one_thread_or_many_and_with_or_without_kept_pairs()
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(700, 24, seed: 5);
        var o = new DbscanOptions { Epsilon = 0.35, MinSamples = 4, Metric = DistanceMetric.Cosine };
        ClusterAssignment a = new DbscanClusterer().Cluster(v, o);
        ClusterAssignment b = new DbscanClusterer().Cluster(v, new DbscanOptions { Epsilon = 0.35, MinSamples = 4, MaxDegreeOfParallelism = 1 });
        var recomputing = new DbscanClusterer { PairBudget = 1 };
        ClusterAssignment c = recomputing.Cluster(v, o);
        Assert.True(recomputing.LastRunRecomputed);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Labels, c.Labels);
        Assert.Equal(a.Roles, c.Roles);
        Assert.True(a.ClusterCount > 3);
    }

    [Fact]
    public void Reports_monotone_progress_to_one_and_honours_cancellation()
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(1000, 16, seed: 2);
        var seen = new List<double>();
        var progress = new SyncProgress(seen);
        new DbscanClusterer().Cluster(v, new DbscanOptions { Epsilon = 0.3, MinSamples = 3 }, default, progress);
        Assert.NotEmpty(seen);
        Assert.Equal(1.0, seen[^1]);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second >= p.First));

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new DbscanClusterer().Cluster(v, new DbscanOptions { Epsilon = 0.3, MinSamples = 3 }, cts.Token));
    }

    private sealed class SyncProgress(List<double> seen) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }
}
