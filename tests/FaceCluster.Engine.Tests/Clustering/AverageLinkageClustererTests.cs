using System.Globalization;
using FaceCluster.Engine.Clustering;
using FaceCluster.Model;
using Xunit.Abstractions;

namespace FaceCluster.Engine.Tests.Clustering;

public class AverageLinkageClustererTests(ITestOutputHelper output)
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Clustering", "scipy_average_linkage.py");

    private static float[][] Line(params float[] xs) => xs.Select(x => new[] { x }).ToArray();

    private static ClusterAssignment Cluster(float[][] points, double threshold, int[]? groups = null, int budget = AverageLinkageOptions.DefaultPairBudget) =>
        new AverageLinkageClusterer().Cluster(points, new AverageLinkageOptions { Threshold = threshold, Metric = DistanceMetric.Euclidean, PairBudget = budget }, groups);

    [Fact]
    public void Hand_worked_merges_on_a_line()
    {
        // 0-1 (distance 1) merge; then {0,1}-2: root mean square of 2 and 1 = sqrt(2.5) = 1.58 <= 1.6, merge; 10-11 merge;
        // the two groups are ~10 apart. 30 is alone: doubtful.
        ClusterAssignment r = Cluster(Line(0, 1, 2, 10, 11, 30), threshold: 1.6);
        Assert.Equal([0, 0, 0, 1, 1, -1], r.Labels);
        Assert.Equal(2, r.ClusterCount);
        Assert.Equal([FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Noise], r.Roles);
    }

    [Fact]
    public void Euclidean_groups_compare_by_root_mean_square_distance()
    {
        // {0, 1} against 2: mean distance 1.5, root mean square 1.58. At 1.55 the mean would merge them; this does not.
        Assert.Equal([0, 0, -1], Cluster(Line(0, 1, 2), threshold: 1.55).Labels);
        Assert.Equal([0, 0, 0], Cluster(Line(0, 1, 2), threshold: 1.59).Labels);
    }

    [Fact]
    public void Cosine_groups_compare_by_mean_cosine_distance()
    {
        // Vectors at 0, 30 and 80 degrees (lengths 1, 2 and 3: only direction counts). 0-30: 1 - cos 30 = 0.134 merge first;
        // {0, 30} against 80: (1 - cos 80 + 1 - cos 50) / 2 = (0.826 + 0.357) / 2 = 0.592.
        static float[] At(double degrees, float length) =>
            [length * (float)Math.Cos(degrees * Math.PI / 180), length * (float)Math.Sin(degrees * Math.PI / 180)];
        float[][] points = [At(0, 1), At(30, 2), At(80, 3)];
        ClusterAssignment Run(double threshold) =>
            new AverageLinkageClusterer().Cluster(points, new AverageLinkageOptions { Threshold = threshold, Metric = DistanceMetric.Cosine });
        Assert.Equal([0, 0, -1], Run(0.58).Labels);
        Assert.Equal([0, 0, 0], Run(0.60).Labels);
        Assert.Equal([-1, -1, -1], Run(0.13).Labels);
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

        ClusterAssignment linkage = Cluster(points, threshold: 0.55);
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
        Assert.Equal([0, 0, 0], Cluster(points, threshold: 1).Labels);
        ClusterAssignment r = Cluster(points, threshold: 1, groups: [7, 7, 8]);
        Assert.NotEqual(r.Labels[0], r.Labels[1]);
        Assert.Equal(1, r.ClusterCount);
        // A negative group is "no photo": no constraint.
        Assert.Equal([0, 0, 0], Cluster(points, threshold: 1, groups: [-1, -1, 8]).Labels);
    }

    [Fact]
    public void Refuses_a_bad_threshold_budget_or_group_count()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cluster(Line(0, 1), threshold: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cluster(Line(0, 1), threshold: double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cluster(Line(0, 1), threshold: 1, budget: 0));
        Assert.Throws<ArgumentException>(() => Cluster(Line(0, 1), threshold: 1, groups: [1]));
    }

    [Theory]
    [InlineData(600, 16, 0.45, DistanceMetric.Cosine, 0)]
    [InlineData(600, 16, 3.0, DistanceMetric.Euclidean, 1)]
    [InlineData(400, 64, 0.55, DistanceMetric.Cosine, 2)]
    public void A_small_pair_budget_takes_more_passes_and_gives_the_same_clusters(int n, int d, double threshold, DistanceMetric metric, int seed)
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(n, d, seed: seed, normalise: metric == DistanceMetric.Cosine, meanFacesPerIdentity: 25);
        // Faces of a few "photos" (every 7th face in a run of 3) must stay apart.
        int[] photos = Enumerable.Range(0, n).Select(i => i % 7 == 0 ? i / 21 : -1).ToArray();
        var clusterer = new AverageLinkageClusterer();
        ClusterAssignment Run(int budget) => clusterer.Cluster(v, new AverageLinkageOptions { Threshold = threshold, Metric = metric, PairBudget = budget }, photos);

        ClusterAssignment unlimited = Run(int.MaxValue / 2);
        Assert.Equal(1, clusterer.LastRunPasses);
        ClusterAssignment small = Run(200);
        output.WriteLine($"{unlimited.ClusterCount} clusters; budget 200 took {clusterer.LastRunPasses} passes (grown: {clusterer.LastRunExceededBudget})");
        Assert.True(clusterer.LastRunPasses > 2, "a budget of 200 pairs should need several passes here");
        Assert.Equal(unlimited.Labels, small.Labels);
        Assert.Equal(NaiveAverageLinkage(v, threshold, metric, photos), unlimited.Labels);
        Assert.True(unlimited.ClusterCount > 3);
    }

    [Fact]
    public void A_group_threshold_lets_groups_and_stray_faces_join_but_never_pairs_two_stray_faces()
    {
        // Threshold 1.2 pairs 0-1, 10-11 and 12.8-13.8. With the group threshold 3.1: {10,11} and {12.8,13.8} merge (root
        // mean square 2.89), 3.5 joins {0,1} (3.04), but 20 and 22.5, alone after the first phase, stay apart (2.5).
        float[][] points = Line(0, 1, 3.5f, 10, 11, 12.8f, 13.8f, 20, 22.5f);
        ClusterAssignment r = new AverageLinkageClusterer().Cluster(points,
            new AverageLinkageOptions { Threshold = 1.2, GroupThreshold = 3.1, Metric = DistanceMetric.Euclidean });
        Assert.Equal([0, 0, 0, 1, 1, 1, 1, -1, -1], r.Labels);
        // One fixed threshold of 3.1 pairs the two stray faces too.
        Assert.Equal([0, 0, 0, 1, 1, 1, 1, 2, 2], Cluster(points, threshold: 3.1).Labels);
    }

    [Theory]
    [InlineData(500, 16, 0.40, 0.60, DistanceMetric.Cosine, 3)]
    [InlineData(500, 16, 3.0, 3.6, DistanceMetric.Euclidean, 4)]
    public void A_group_threshold_gives_the_definition_at_any_pair_budget(int n, int d, double threshold, double groupThreshold, DistanceMetric metric, int seed)
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(n, d, seed: seed, spread: 1.0, normalise: metric == DistanceMetric.Cosine, meanFacesPerIdentity: 20);
        int[] photos = Enumerable.Range(0, n).Select(i => i % 7 == 0 ? i / 21 : -1).ToArray();
        var clusterer = new AverageLinkageClusterer();
        ClusterAssignment Run(int budget) => clusterer.Cluster(v,
            new AverageLinkageOptions { Threshold = threshold, GroupThreshold = groupThreshold, Metric = metric, PairBudget = budget }, photos);

        ClusterAssignment unlimited = Run(int.MaxValue / 2);
        Assert.Equal(2, clusterer.LastRunPasses); // one pass for each phase
        ClusterAssignment small = Run(200);
        output.WriteLine($"budget 200: {clusterer.LastRunPasses} passes");
        Assert.True(clusterer.LastRunPasses > 3, "a budget of 200 pairs should need more passes");
        Assert.Equal(unlimited.Labels, small.Labels);
        int[] expected = NaiveAverageLinkage(v, threshold, metric, photos, groupThreshold);
        Assert.Equal(expected, unlimited.Labels);
        Assert.NotEqual(NaiveAverageLinkage(v, threshold, metric, photos), expected); // the second phase did something
    }

    [Theory]
    [InlineData(1500, 64, 0.55, DistanceMetric.Cosine)]
    [InlineData(1200, 32, 0.40, DistanceMetric.Cosine)]
    [InlineData(1000, 32, 3.2, DistanceMetric.Euclidean)]
    public void Matches_scipy_average_linkage(int n, int d, double threshold, DistanceMetric metric)
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(n, d, seed: n + d, normalise: metric == DistanceMetric.Cosine);
        int[] scipy = SklearnOracle.Ints(PythonOracle.Run(Script, v, SklearnOracle.InstallHint,
            threshold.ToString("R", CultureInfo.InvariantCulture), metric == DistanceMetric.Cosine ? "cosine" : "euclidean").GetProperty("labels"));
        foreach (int budget in new[] { AverageLinkageOptions.DefaultPairBudget, 1000 })
        {
            ClusterAssignment ours = new AverageLinkageClusterer().Cluster(v, new AverageLinkageOptions { Threshold = threshold, Metric = metric, PairBudget = budget });
            List<string> problems = SamePartition(scipy, ours);
            output.WriteLine($"budget {budget}: {ours.ClusterCount} clusters, {ours.Labels.Count(l => l < 0)} doubtful of {v.Count}; {problems.Count} differences");
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
            Assert.True(ours.ClusterCount > 3 && ours.Labels.Count(l => l < 0) > 0, "the test data should give several clusters and some doubtful points");
        }
    }

    /// <summary>SciPy's singletons are our doubtful points, and its other clusters are ours up to numbering.</summary>
    private static List<string> SamePartition(int[] scipy, ClusterAssignment ours)
    {
        int[] size = new int[scipy.Max() + 1];
        foreach (int label in scipy)
        {
            size[label]++;
        }

        var scipyToOurs = new Dictionary<int, int>();
        var oursToScipy = new Dictionary<int, int>();
        var problems = new List<string>();
        for (int i = 0; i < scipy.Length; i++)
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

        return problems;
    }

    /// <summary>
    /// The definition, the slow way: a full matrix of summed squared distances between groups (cosine: summed cosine
    /// distances), and the globally closest allowed pair merged first. Labels numbered like the clusterer's.
    /// </summary>
    private static int[] NaiveAverageLinkage(List<float[]> v, double threshold, DistanceMetric metric, int[] photos, double? groupThreshold = null)
    {
        int n = v.Count;
        var sum = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0, na = 0, nb = 0;
                for (int k = 0; k < v[i].Length; k++)
                {
                    s += metric == DistanceMetric.Cosine ? (double)v[i][k] * v[j][k] : ((double)v[i][k] - v[j][k]) * ((double)v[i][k] - v[j][k]);
                    na += (double)v[i][k] * v[i][k];
                    nb += (double)v[j][k] * v[j][k];
                }

                sum[i, j] = metric == DistanceMetric.Cosine ? 1 - (s / Math.Sqrt(na * nb)) : s;
            }
        }

        var members = Enumerable.Range(0, n).Select(i => new List<int> { i }).ToArray();
        var alive = Enumerable.Repeat(true, n).ToArray();
        double Distance(int a, int b)
        {
            double mean = sum[a, b] / ((double)members[a].Count * members[b].Count);
            return metric == DistanceMetric.Cosine ? mean : Math.Sqrt(Math.Max(0, mean));
        }

        bool Allowed(int a, int b) => !members[a].Any(i => photos[i] >= 0 && members[b].Any(j => photos[j] == photos[i]));
        void Join(int a, int b)
        {
            members[a].AddRange(members[b]);
            alive[b] = false;
            for (int x = 0; x < n; x++)
            {
                sum[a, x] += sum[b, x];
                sum[x, a] = sum[a, x];
            }
        }

        void MergeWithin(double limit, bool[] excluded)
        {
            while (true)
            {
                (int a, int b, double d) best = (-1, -1, double.PositiveInfinity);
                for (int a = 0; a < n; a++)
                {
                    for (int b = a + 1; alive[a] && !excluded[a] && b < n; b++)
                    {
                        if (alive[b] && !excluded[b] && Distance(a, b) < best.d && Allowed(a, b)) best = (a, b, Distance(a, b));
                    }
                }

                if (best.d > limit) break;
                Join(best.a, best.b);
            }
        }

        MergeWithin(threshold, new bool[n]);
        if (groupThreshold is double limit)
        {
            // Second phase: groups of two or more merge within the limit; then each face still alone joins its nearest
            // group within it, all chosen against the groups as they stand.
            bool[] alone = Enumerable.Range(0, n).Select(i => alive[i] && members[i].Count == 1).ToArray();
            MergeWithin(limit, alone);
            int[] groups = Enumerable.Range(0, n).Where(i => alive[i] && members[i].Count > 1).ToArray();
            var choices = new List<(int Face, int Group)>();
            foreach (int face in Enumerable.Range(0, n).Where(i => alone[i]))
            {
                (int group, double d) best = (-1, limit);
                foreach (int group in groups)
                {
                    if (Distance(face, group) <= best.d && (best.group < 0 || Distance(face, group) < best.d) && Allowed(face, group))
                    {
                        best = (group, Distance(face, group));
                    }
                }

                if (best.group >= 0) choices.Add((face, best.group));
            }

            foreach ((int face, int group) in choices) Join(group, face);
        }

        var labels = Enumerable.Repeat(-1, n).ToArray();
        int next = 0;
        var labelOf = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int g = Array.FindIndex(members, m => m.Contains(i) && alive[Array.IndexOf(members, m)]);
            if (members[g].Count < 2) continue;
            if (!labelOf.TryGetValue(g, out int label)) labelOf[g] = label = next++;
            labels[i] = label;
        }

        return labels;
    }
}
