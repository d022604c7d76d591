using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>The approximate neighbour search (issue 22): its pairs, its agreement with the exact scan, and the switch.</summary>
public class NeighbourGraphTests
{
    private static FaceEncoding Face(float[] vector, int i) => new()
    {
        Path = $"/photos/img{i:D5}.jpg", FaceIndex = 0, Box = new FaceBox(0, 0, 10, 10), Landmarks = [], Confidence = 1,
        Vector = vector, Model = "faceplugin", ImageWidth = 100, ImageHeight = 100,
    };

    private static FaceClusteringOptions Options(ClusteringAlgorithm algorithm, NeighbourSearch search) => new()
    {
        Algorithm = algorithm,
        Epsilon = algorithm == ClusteringAlgorithm.Dbscan ? 0.45 : 0.54,
        MinSamples = 3,
        Metric = DistanceMetric.Cosine,
        NeighbourSearch = search,
    };

    /// <summary>Each face's cluster (-1: doubtful), by path.</summary>
    private static Dictionary<string, int> Labels(IReadOnlyList<FaceGroup> groups) =>
        groups.SelectMany(g => g.Members.Select(m => (m.Face.Path, Id: g.IsDoubtful ? -1 : g.Id))).ToDictionary(x => x.Path, x => x.Id);

    [Fact]
    public void The_switch_is_exact_below_the_size_and_approximate_from_it_for_cosine()
    {
        NeighbourSearchChoice small = NeighbourSearchChoice.Choose(NeighbourSearch.Auto, NeighbourSearchChoice.ApproximateFrom - 1, DistanceMetric.Cosine);
        NeighbourSearchChoice large = NeighbourSearchChoice.Choose(NeighbourSearch.Auto, NeighbourSearchChoice.ApproximateFrom, DistanceMetric.Cosine);
        NeighbourSearchChoice euclidean = NeighbourSearchChoice.Choose(NeighbourSearch.Auto, NeighbourSearchChoice.ApproximateFrom, DistanceMetric.Euclidean);
        Assert.Equal(NeighbourSearch.Exact, small.Path);
        Assert.Contains("under the 50000", small.Reason);
        Assert.Equal(NeighbourSearch.Approximate, large.Path);
        Assert.Equal(NeighbourSearch.Exact, euclidean.Path);
        Assert.Contains("cosine metric only", euclidean.Reason);
        Assert.Equal(NeighbourSearch.Exact, NeighbourSearchChoice.Choose(NeighbourSearch.Exact, 1_000_000, DistanceMetric.Cosine).Path);
        Assert.Throws<NotSupportedException>(() => NeighbourSearchChoice.Choose(NeighbourSearch.Approximate, 10, DistanceMetric.Euclidean));
    }

    [Fact]
    public void The_graphs_pairs_are_within_the_threshold_each_once_and_nearly_all_of_them()
    {
        (List<float[]> v, _) = RealisticFaces.Generate(2000, 64, seed: 3);
        var set = VectorSet.Create(v, DistanceMetric.Cosine, "v");
        NeighbourGraph graph = NeighbourGraph.Build(set, 2, _ => { }, default);
        var sink = new CollectingSink();
        graph.Within(0.5).Run(sink, 2, null, _ => { }, default);
        var exact = new CollectingSink();
        new NeighbourScan(set, 0.5).Run(exact, 2, null, _ => { }, default);

        Assert.Equal(sink.Pairs.Count, sink.Pairs.Distinct().Count());
        Assert.All(sink.Pairs, p => Assert.True(p.I < p.J && set.Surrogate(p.I, p.J) <= 0.5, $"{p}"));
        Assert.Subset(exact.Pairs.ToHashSet(), sink.Pairs.ToHashSet());
        // A face with more than 24 neighbours within the threshold keeps its 24 nearest: most pairs, not all.
        Assert.True(sink.Pairs.Count >= 0.5 * exact.Pairs.Count, $"{sink.Pairs.Count} of {exact.Pairs.Count} pairs");
    }

    [Fact]
    public void A_pair_source_hands_over_at_most_the_pairs_it_announces()
    {
        // Average linkage sizes its pair buffer by MaxPairs: more pairs than announced would make it drop some.
        (List<float[]> v, _) = RealisticFaces.Generate(1000, 64, seed: 4);
        var set = VectorSet.Create(v, DistanceMetric.Cosine, "v");
        NeighbourGraph graph = NeighbourGraph.Build(set, 2, _ => { }, default);
        foreach (double threshold in new[] { 0.3, 0.5 })
        {
            var fromGraph = new CollectingSink();
            IPairSource within = graph.Within(threshold);
            within.Run(fromGraph, 2, null, _ => { }, default);
            Assert.True(fromGraph.Pairs.Count > 0);
            Assert.Equal(fromGraph.Pairs.Count, within.MaxPairs);
        }

        var fromScan = new CollectingSink();
        var scan = new NeighbourScan(set, 0.5);
        scan.Run(fromScan, 2, null, _ => { }, default);
        Assert.InRange(fromScan.Pairs.Count, 1, scan.MaxPairs);
        Assert.Equal(1000L * 999 / 2, scan.MaxPairs);
    }

    [Theory]
    [InlineData(ClusteringAlgorithm.AverageLinkage)]
    [InlineData(ClusteringAlgorithm.Dbscan)]
    public void Approximate_clusters_agree_with_exact_ones(ClusteringAlgorithm algorithm)
    {
        (List<float[]> v, _) = RealisticFaces.Generate(4000, 128, seed: 5);
        List<FaceEncoding> faces = v.Select(Face).ToList();
        var approximate = new FaceClusterer();
        IReadOnlyList<FaceGroup> a = approximate.Cluster(faces, Options(algorithm, NeighbourSearch.Approximate));
        IReadOnlyList<FaceGroup> e = new FaceClusterer().Cluster(faces, Options(algorithm, NeighbourSearch.Exact));

        Dictionary<string, int> exact = Labels(e), found = Labels(a);
        string[] paths = [.. exact.Keys.Order(StringComparer.Ordinal)];
        ClusteringScore agreement = ClusteringScorer.Score(paths.Select(p => found[p]).ToArray(),
            paths.Select(p => exact[p] < 0 ? "doubtful " + p : exact[p].ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        Assert.True(e.Count(g => !g.IsDoubtful) > 20);
        Assert.True(agreement.PairwiseF1 >= 0.995, $"pairwise F1 {agreement.PairwiseF1}");
        Assert.Equal(NeighbourSearch.Approximate, approximate.Search!.Path);
        Assert.All(a, g => Assert.Equal(NeighbourSearch.Approximate, g.Clustering!.NeighbourSearch));
        Assert.All(e, g => Assert.Equal(NeighbourSearch.Exact, g.Clustering!.NeighbourSearch));
        // Nearly every doubtful face still has its nearest cluster, and mostly the exact one (clusters named by their
        // first member: the two runs may number clusters of nearly equal size differently).
        Dictionary<string, string?> exactHints = Hints(e), foundHints = Hints(a);
        string[] both = foundHints.Keys.Where(exactHints.ContainsKey).ToArray();
        int same = both.Count(p => foundHints[p] == exactHints[p]);
        Assert.True(same >= 0.95 * both.Length, $"{same} of {both.Length} doubtful faces have the exact nearest cluster");
    }

    /// <summary>Each doubtful face's nearest cluster, named by the path of that cluster's first member.</summary>
    private static Dictionary<string, string?> Hints(IReadOnlyList<FaceGroup> groups)
    {
        var first = groups.Where(g => !g.IsDoubtful).ToDictionary(g => g.Id, g => g.Members[0].Face.Path);
        return groups.Single(g => g.IsDoubtful).Members.ToDictionary(m => m.Face.Path, m => m.NearestClusterId is int id ? first[id] : null);
    }

    [Fact]
    public void The_approximate_search_gives_the_same_groups_every_time_in_any_order()
    {
        (List<float[]> v, _) = RealisticFaces.Generate(3000, 64, seed: 9);
        List<FaceEncoding> faces = v.Select(Face).ToList();
        FaceClusteringOptions options = Options(ClusteringAlgorithm.AverageLinkage, NeighbourSearch.Approximate);
        Dictionary<string, int> first = Labels(new FaceClusterer().Cluster(faces, options));
        Dictionary<string, int> again = Labels(new FaceClusterer().Cluster(faces.OrderBy(_ => Random.Shared.Next()).ToList(), options));
        Assert.Equal(first.OrderBy(x => x.Key, StringComparer.Ordinal), again.OrderBy(x => x.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_graph_is_the_same_on_one_thread_as_on_several()
    {
        (List<float[]> v, _) = RealisticFaces.Generate(3000, 64, seed: 11);
        var set = VectorSet.Create(v, DistanceMetric.Cosine, "v");
        NeighbourGraph one = NeighbourGraph.Build(set, 1, _ => { }, default);
        NeighbourGraph four = NeighbourGraph.Build(set, 4, _ => { }, default);
        for (int i = 0; i < v.Count; i++)
        {
            Assert.Equal(one.Of(i).Points.ToArray(), four.Of(i).Points.ToArray());
            Assert.Equal(one.Of(i).Distances.ToArray(), four.Of(i).Distances.ToArray());
        }
    }

    [Fact]
    public void Auto_runs_exact_on_a_small_library_and_says_so()
    {
        (List<float[]> v, _) = RealisticFaces.Generate(300, 32, seed: 1);
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> groups = clusterer.Cluster(v.Select(Face).ToList(), Options(ClusteringAlgorithm.AverageLinkage, NeighbourSearch.Auto));
        Assert.Equal(NeighbourSearch.Exact, clusterer.Search!.Path);
        Assert.StartsWith("Exact neighbour search: 300 faces", clusterer.Search.Reason);
        Assert.All(groups, g => Assert.Equal(NeighbourSearch.Exact, g.Clustering!.NeighbourSearch));
    }

    private sealed class CollectingSink : IPairSink
    {
        public List<(int I, int J)> Pairs { get; } = [];

        public void Accept(int worker, int blockStart, ReadOnlySpan<int> pairs)
        {
            lock (Pairs)
            {
                for (int k = 0; k < pairs.Length; k += 2)
                {
                    Assert.InRange(pairs[k] - blockStart, 0, NeighbourScan.BlockSize - 1);
                    Pairs.Add((pairs[k], pairs[k + 1]));
                }
            }
        }
    }
}
