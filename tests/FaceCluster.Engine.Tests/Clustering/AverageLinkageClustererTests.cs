using System.Globalization;
using FaceCluster.Engine.Clustering;
using FaceCluster.Model;
using Xunit.Abstractions;

namespace FaceCluster.Engine.Tests.Clustering;

public class AverageLinkageClustererTests(ITestOutputHelper output)
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Clustering", "scipy_average_linkage.py");

    private static float[][] Line(params float[] xs) => xs.Select(x => new[] { x }).ToArray();

    private static ClusterAssignment Cluster(float[][] points, double threshold, double cutoff, int[]? groups = null) =>
        new AverageLinkageClusterer().Cluster(points, new AverageLinkageOptions { Threshold = threshold, Cutoff = cutoff, Metric = DistanceMetric.Euclidean }, groups);

    [Fact]
    public void Hand_worked_merges_on_a_line()
    {
        // 0-1 (distance 1) merge; then {0,1}-2: (2 + 1) / 2 = 1.5 <= 1.5, merge; 10-11 merge; the two groups are ~10 apart.
        // 30 is alone: doubtful.
        ClusterAssignment r = Cluster(Line(0, 1, 2, 10, 11, 30), threshold: 1.5, cutoff: 100);
        Assert.Equal([0, 0, 0, 1, 1, -1], r.Labels);
        Assert.Equal(2, r.ClusterCount);
        Assert.Equal([FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Noise], r.Roles);
    }

    [Fact]
    public void Distances_beyond_the_cutoff_count_as_the_cutoff()
    {
        // {0, 1} against 2.9: distances 2.9 and 1.9. Unclipped mean 2.4 > 2: no merge. Clipped at 2.05: (2.05 + 1.9) / 2 = 1.975 <= 2: merge.
        Assert.Equal([0, 0, -1], Cluster(Line(0, 1, 2.9f), threshold: 2, cutoff: 3).Labels);
        Assert.Equal([0, 0, 0], Cluster(Line(0, 1, 2.9f), threshold: 2, cutoff: 2.05).Labels);
    }

    [Fact]
    public void A_chain_of_close_faces_does_not_join_two_people()
    {
        // Two tight people 3 apart, joined by a chain of faces 0.5 apart. DBSCAN (epsilon 0.55, min samples 2) makes one
        // cluster of everything; average linkage at the same distance keeps the two people apart.
        float[] a = Enumerable.Range(0, 10).Select(i => i * 0.01f).ToArray();
        float[] b = Enumerable.Range(0, 10).Select(i => 3 + (i * 0.01f)).ToArray();
        float[][] points = Line([.. a, 0.5f, 1.0f, 1.5f, 2.0f, 2.5f, .. b]);

        ClusterAssignment dbscan = new DbscanClusterer().Cluster(points, new DbscanOptions { Epsilon = 0.55, MinSamples = 2, Metric = DistanceMetric.Euclidean });
        Assert.Equal(1, dbscan.ClusterCount);

        ClusterAssignment linkage = Cluster(points, threshold: 0.55, cutoff: 10);
        Assert.Single(linkage.Labels.Take(10).Distinct());
        Assert.Single(linkage.Labels.TakeLast(10).Distinct());
        Assert.NotEqual(linkage.Labels[0], linkage.Labels[^1]);
        Assert.True(linkage.Labels[0] >= 0);
    }

    [Fact]
    public void Points_of_one_cannot_link_group_never_share_a_cluster()
    {
        // Two identical faces in one photo (group 7), a third face near both in another photo (group 8).
        float[][] points = Line(0, 0, 0.1f);
        Assert.Equal([0, 0, 0], Cluster(points, threshold: 1, cutoff: 2).Labels);
        ClusterAssignment r = Cluster(points, threshold: 1, cutoff: 2, groups: [7, 7, 8]);
        Assert.NotEqual(r.Labels[0], r.Labels[1]);
        Assert.Equal(1, r.ClusterCount);
        // A negative group is "no photo": no constraint.
        Assert.Equal([0, 0, 0], Cluster(points, threshold: 1, cutoff: 2, groups: [-1, -1, 8]).Labels);
    }

    [Fact]
    public void Refuses_a_cutoff_not_above_the_threshold_and_a_wrong_group_count()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cluster(Line(0, 1), threshold: 1, cutoff: 1));
        Assert.Throws<ArgumentException>(() => Cluster(Line(0, 1), threshold: 1, cutoff: 2, groups: [1]));
    }

    [Theory]
    [InlineData(1500, 64, 0.55, 0.70, DistanceMetric.Cosine)]
    [InlineData(1200, 32, 0.40, 0.50, DistanceMetric.Cosine)]
    [InlineData(1000, 32, 3.2, 3.6, DistanceMetric.Euclidean)]
    public void Matches_scipy_average_linkage_on_the_clipped_distances(int n, int d, double threshold, double cutoff, DistanceMetric metric)
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(n, d, seed: n + d, normalise: metric == DistanceMetric.Cosine);
        ClusterAssignment ours = new AverageLinkageClusterer().Cluster(v, new AverageLinkageOptions { Threshold = threshold, Cutoff = cutoff, Metric = metric });

        int[] scipy = SklearnOracle.Ints(PythonOracle.Run(Script, v, SklearnOracle.InstallHint,
            threshold.ToString("R", CultureInfo.InvariantCulture), cutoff.ToString("R", CultureInfo.InvariantCulture),
            metric == DistanceMetric.Cosine ? "cosine" : "euclidean").GetProperty("labels"));

        // Same partition: scipy's singletons are our doubtful points, and its other clusters are ours up to numbering.
        int[] size = new int[scipy.Max() + 1];
        foreach (int label in scipy)
        {
            size[label]++;
        }

        var scipyToOurs = new Dictionary<int, int>();
        var oursToScipy = new Dictionary<int, int>();
        var problems = new List<string>();
        for (int i = 0; i < v.Count; i++)
        {
            if (size[scipy[i]] == 1)
            {
                if (ours.Labels[i] >= 0) problems.Add($"point {i}: alone in SciPy, in cluster {ours.Labels[i]} here");
                continue;
            }

            if (ours.Labels[i] < 0)
            {
                problems.Add($"point {i}: doubtful here, in a SciPy cluster of {size[scipy[i]]}");
                continue;
            }

            if (scipyToOurs.TryGetValue(scipy[i], out int o) && o != ours.Labels[i]) problems.Add($"point {i}: SciPy cluster {scipy[i]} spans ours {o} and {ours.Labels[i]}");
            if (oursToScipy.TryGetValue(ours.Labels[i], out int s) && s != scipy[i]) problems.Add($"point {i}: our cluster {ours.Labels[i]} spans SciPy's {s} and {scipy[i]}");
            scipyToOurs[scipy[i]] = ours.Labels[i];
            oursToScipy[ours.Labels[i]] = scipy[i];
        }

        output.WriteLine($"{ours.ClusterCount} clusters, {ours.Labels.Count(l => l < 0)} doubtful of {v.Count}; {problems.Count} differences");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
        Assert.True(ours.ClusterCount > 3 && ours.Labels.Count(l => l < 0) > 0, "the test data should give several clusters and some doubtful points");
    }
}
