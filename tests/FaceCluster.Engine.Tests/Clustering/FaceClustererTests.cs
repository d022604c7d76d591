using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.FileSystem;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

public class FaceClustererTests
{
    private static readonly FaceClusteringOptions Options = new() { Epsilon = 0.35, MinSamples = 4, Metric = DistanceMetric.Cosine, SeparateSamePhoto = false };

    private static FaceEncoding Face(string path, int index, float[] vector, string model = "arcface") => new()
    {
        Path = path,
        FaceIndex = index,
        Box = new FaceBox(0, 0, 10, 10),
        Landmarks = [],
        Confidence = 1,
        Vector = vector,
        Model = model,
        ImageWidth = 100,
        ImageHeight = 100,
    };

    private static List<FaceEncoding> Faces()
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(600, 32, seed: 11);
        // Two faces per photo, so that face index matters in the canonical order.
        return v.Select((x, i) => Face($"/photos/img{i / 2:D4}.jpg", i % 2, x)).ToList();
    }

    public static TheoryData<ClusteringAlgorithm, bool> Settings => new()
    {
        { ClusteringAlgorithm.Dbscan, false },
        { ClusteringAlgorithm.Dbscan, true },
        { ClusteringAlgorithm.AverageLinkage, false },
        { ClusteringAlgorithm.AverageLinkage, true },
    };

    private static FaceClusteringOptions With(ClusteringAlgorithm algorithm, bool separateSamePhoto) => new()
    {
        Algorithm = algorithm,
        Epsilon = algorithm == ClusteringAlgorithm.Dbscan ? 0.35 : 0.45,
        MinSamples = 4,
        Metric = DistanceMetric.Cosine,
        SeparateSamePhoto = separateSamePhoto,
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Any_input_order_gives_the_same_groups(ClusteringAlgorithm algorithm, bool separateSamePhoto)
    {
        List<FaceEncoding> faces = Faces();
        IReadOnlyList<FaceGroup> a = new FaceClusterer().Cluster(faces, With(algorithm, separateSamePhoto));
        var shuffled = faces.OrderBy(_ => Random.Shared.Next()).ToList();
        IReadOnlyList<FaceGroup> b = new FaceClusterer().Cluster(shuffled, With(algorithm, separateSamePhoto));
        Assert.True(a.Count(g => !g.IsDoubtful) > 3);
        Assert.Equal(Describe(a), Describe(b));
    }

    [Theory]
    [InlineData(ClusteringAlgorithm.Dbscan)]
    [InlineData(ClusteringAlgorithm.AverageLinkage)]
    public void One_photo_spelled_two_ways_is_one_photo_where_the_platform_ignores_case(ClusteringAlgorithm algorithm)
    {
        // Face 1 is the twin of face 0, in the same photo spelled in capitals: on Windows and macOS that is one
        // file, so the same-photo rule keeps them apart; on Linux it is another file and the twins merge.
        List<FaceEncoding> faces = Faces();
        faces[1] = Face(faces[0].Path.ToUpperInvariant(), 1, faces[0].Vector);
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(faces, With(algorithm, separateSamePhoto: true));
        bool together = groups.Any(g => !g.IsDoubtful && g.Faces.Contains(faces[0]) && g.Faces.Contains(faces[1]));
        Assert.Equal(PathComparison.Current == StringComparison.Ordinal, together);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Faces_of_one_photo_share_a_cluster_only_when_allowed(ClusteringAlgorithm algorithm, bool separateSamePhoto)
    {
        // Faces() puts two faces in each photo. A photo whose two faces are the same vector is a certain merge
        // for both algorithms unless the same-photo rule forbids it.
        List<FaceEncoding> faces = Faces();
        faces[1] = Face(faces[1].Path, 1, faces[0].Vector);
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(faces, With(algorithm, separateSamePhoto));
        bool shared = groups.Where(g => !g.IsDoubtful).Any(g => g.Faces.GroupBy(f => f.Path).Any(p => p.Count() > 1));
        Assert.Equal(!separateSamePhoto, shared);
        Assert.Equal(faces.Count, groups.Sum(g => g.FaceCount));
        if (separateSamePhoto)
        {
            // The twin of face 0 is not lost: it is doubtful or in another cluster.
            FaceGroup first = groups.Single(g => g.Faces.Contains(faces[0]));
            FaceGroup second = groups.Single(g => g.Faces.Contains(faces[1]));
            Assert.True(first != second || first.IsDoubtful);
        }
    }

    [Fact]
    public void Groups_are_numbered_by_size_with_canonical_members_medoid_and_doubtful_last()
    {
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(Faces(), Options);
        FaceGroup[] clusters = groups.Where(g => !g.IsDoubtful).ToArray();
        Assert.True(clusters.Length > 3);
        for (int i = 0; i < clusters.Length; i++)
        {
            Assert.Equal(i, clusters[i].Id);
            Assert.Equal(FaceGroup.ClusterLabel(i), clusters[i].Label);
            Assert.Contains(clusters[i].Representative!, clusters[i].Faces);
            Assert.Equal(clusters[i].Faces.Order(Comparer<FaceEncoding>.Create(FaceClusterer.CanonicalOrder)), clusters[i].Faces);
            Assert.DoesNotContain(clusters[i].Members, m => m.Role == FaceRole.Noise);
            if (i > 0)
            {
                Assert.True(clusters[i - 1].FaceCount >= clusters[i].FaceCount);
            }
        }

        FaceGroup doubtful = groups[^1];
        Assert.True(doubtful.IsDoubtful);
        Assert.Equal(FaceGroup.DoubtfulLabel, doubtful.Label);
        Assert.Null(doubtful.Representative);
        Assert.All(doubtful.Members, m => Assert.Equal(FaceRole.Noise, m.Role));
        Assert.Equal(600, groups.Sum(g => g.FaceCount));
    }

    [Fact]
    public void No_doubtful_group_when_nothing_is_noise_and_empty_input_gives_nothing()
    {
        float[] v = [1, 0];
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster([Face("/b.jpg", 0, v), Face("/a.jpg", 0, v)],
            new FaceClusteringOptions { Epsilon = 0.1, MinSamples = 2 });
        FaceGroup g = Assert.Single(groups);
        Assert.Equal("/a.jpg", g.Representative!.Path);
        Assert.Empty(new FaceClusterer().Cluster([], Options));
    }

    [Fact]
    public void Rejects_vectors_of_different_model_packs()
    {
        var e = Assert.Throws<ArgumentException>(() => new FaceClusterer().Cluster(
            [Face("/a.jpg", 0, [1, 0]), Face("/b.jpg", 0, [1, 0], model: "dlib")], Options));
        Assert.Contains("vectors of different model packs are not comparable", e.Message);
    }

    private static string Describe(IEnumerable<FaceGroup> groups) => string.Join("\n", groups.Select(g =>
        $"{g.Id} {g.Label} rep={g.Representative} " + string.Join(",", g.Members.Select(m => $"{m.Face}:{m.Role}"))));

    [Fact]
    public void The_library_rule_joins_the_two_looks_of_each_person_that_one_strict_threshold_splits()
    {
        // Three people, two looks each at distance 0.6 (LibraryThresholdTests): a fixed 0.5 makes six clusters; the rule
        // chooses 0.70 for this library and the looks join, three people, while different people (distance 1) stay apart.
        List<float[]> vectors = LibraryThresholdTests.PeopleOfTwoLooks(3, 5);
        FaceEncoding[] faces = vectors.Select((v, i) => new FaceEncoding
        {
            Path = $"/photos/{i:00}.jpg", FaceIndex = 0, Box = new FaceBox(0, 0, 10, 10), Landmarks = [], Confidence = 1, Vector = v,
            Model = "test", ImageWidth = 10, ImageHeight = 10,
        }).ToArray();
        var fixedOptions = new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = 0.5, Metric = DistanceMetric.Cosine };
        var clusterer = new FaceClusterer();
        Assert.Equal(6, clusterer.Cluster(faces, fixedOptions).Count(g => !g.IsDoubtful));
        Assert.Null(clusterer.GroupThreshold);

        var adaptive = new FaceClusteringOptions
        {
            Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = 0.5, Metric = DistanceMetric.Cosine,
            LibraryThreshold = LibraryThresholdTests.Rule(0.001, 0.001, 0.001, 0.001, 0.001),
        };
        IReadOnlyList<FaceGroup> groups = clusterer.Cluster(faces, adaptive);
        Assert.Equal(0.70, clusterer.GroupThreshold!.Value, 9);
        Assert.Equal([10, 10, 10], groups.Select(g => g.FaceCount));
        Assert.All(groups, g => Assert.Single(g.Members.Select(m => int.Parse(m.Face.Path[8..10]) / 10).Distinct()));
    }

    [Fact]
    public void Every_group_records_the_settings_the_clustering_used()
    {
        List<float[]> vectors = LibraryThresholdTests.PeopleOfTwoLooks(3, 5);
        FaceEncoding[] faces = vectors.Select((v, i) => Face($"/photos/{i:00}.jpg", 0, v, model: "pack")).ToArray();
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> linkage = clusterer.Cluster(faces, new FaceClusteringOptions
        {
            Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = 0.5, EpsilonSource = SettingSource.ModelPack, Metric = DistanceMetric.Cosine,
            LibraryThreshold = LibraryThresholdTests.Rule(0.001, 0.001, 0.001, 0.001, 0.001),
        });
        Assert.All(linkage, g => Assert.Equal(new ClusteringSettings
        {
            Model = "pack", Algorithm = ClusteringAlgorithm.AverageLinkage, Metric = DistanceMetric.Cosine, Epsilon = 0.5,
            EpsilonSource = SettingSource.ModelPack, GroupThreshold = clusterer.GroupThreshold, MinSamples = null, SeparateSamePhoto = true, NeighbourSearch = NeighbourSearch.Exact,
        }, g.Clustering));
        Assert.NotNull(clusterer.GroupThreshold);

        // A face far from everyone (distance 0.59), so the doubtful group records them too.
        FaceEncoding loner = Face("/photos/loner.jpg", 0, Enumerable.Repeat(1f, vectors[0].Length).ToArray(), model: "pack");
        IReadOnlyList<FaceGroup> dbscan = clusterer.Cluster([.. faces, loner], With(ClusteringAlgorithm.Dbscan, separateSamePhoto: false));
        Assert.Contains(dbscan, g => g.IsDoubtful);
        Assert.All(dbscan, g => Assert.Equal(new ClusteringSettings
        {
            Model = "pack", Algorithm = ClusteringAlgorithm.Dbscan, Metric = DistanceMetric.Cosine, Epsilon = 0.35,
            EpsilonSource = SettingSource.Parameter, GroupThreshold = null, MinSamples = 4, SeparateSamePhoto = false, NeighbourSearch = NeighbourSearch.Exact,
        }, g.Clustering));
    }
}
