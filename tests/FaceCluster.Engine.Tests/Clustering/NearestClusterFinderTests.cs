using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

public class NearestClusterFinderTests
{
    private static FaceEncoding Face(string path, float[] vector) => new()
    {
        Path = path,
        FaceIndex = 0,
        Box = new FaceBox(0, 0, 10, 10),
        Landmarks = [],
        Confidence = 1,
        Vector = vector,
        Model = "test",
        ImageWidth = 100,
        ImageHeight = 100,
    };

    private static float[] V(params double[] x) => x.Select(v => (float)v).ToArray();

    /// <summary>The distance to the nearest of the members, one by one.</summary>
    private static double Expected(FaceEncoding x, IEnumerable<FaceEncoding> members, DistanceMetric metric) => members.Min(m =>
        ExactDistance.FromSurrogate(ExactDistance.Surrogate(x.Vector, ExactDistance.Norm(x.Vector), m.Vector, ExactDistance.Norm(m.Vector), metric), metric));

    public static TheoryData<ClusteringAlgorithm, DistanceMetric> Methods => new()
    {
        { ClusteringAlgorithm.AverageLinkage, DistanceMetric.Cosine },
        { ClusteringAlgorithm.AverageLinkage, DistanceMetric.Euclidean },
        { ClusteringAlgorithm.Dbscan, DistanceMetric.Cosine },
        { ClusteringAlgorithm.Dbscan, DistanceMetric.Euclidean },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_doubtful_face_names_the_cluster_it_lies_nearest_and_the_distance(ClusteringAlgorithm algorithm, DistanceMetric metric)
    {
        // Two tight clusters: A (five faces) around the first axis, B (four) around the second. The doubtful face
        // lies off B, towards the third axis: about 0.1 (cosine) or 3 (Euclidean) from B, far from A.
        double scale = metric == DistanceMetric.Cosine ? 1 : 10, spread = 0.02 * scale;
        var a = new[] { V(scale, 0, 0, 0), V(scale, 0, spread, 0), V(scale, 0, -spread, 0), V(scale, 0, 0, spread), V(scale, 0, 0, -spread) };
        var b = new[] { V(0, scale, spread, 0), V(0, scale, -spread, 0), V(0, scale, 0, spread), V(0, scale, 0, -spread) };
        FaceEncoding doubtful = Face("/p/x.jpg", metric == DistanceMetric.Cosine ? V(0, 1, 0.5, 0) : V(0, 10, 3, 0));
        var faces = a.Select((v, i) => Face($"/p/a{i}.jpg", v)).Concat(b.Select((v, i) => Face($"/p/b{i}.jpg", v))).Append(doubtful).ToList();
        var options = new FaceClusteringOptions
        {
            Algorithm = algorithm, Metric = metric, MinSamples = 2, MaxDegreeOfParallelism = 1,
            Epsilon = metric == DistanceMetric.Cosine ? 0.05 : 1.0,
        };

        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(faces, options);

        Assert.Equal([5, 4, 1], groups.Select(g => g.FaceCount));
        ClusterMember member = Assert.Single(groups[2].Members);
        Assert.Same(doubtful, member.Face);
        Assert.Equal(1, member.NearestClusterId);
        double expected = Expected(doubtful, groups[1].Faces, metric);
        Assert.InRange(expected, metric == DistanceMetric.Cosine ? 0.09 : 2.7, metric == DistanceMetric.Cosine ? 0.12 : 3.1);
        Assert.Equal(expected, member.NearestClusterDistance!.Value, 6);
        Assert.All(groups.Take(2).SelectMany(g => g.Members), m => Assert.Null(m.NearestClusterId ?? (object?)m.NearestClusterDistance));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_doubtful_face_gets_the_nearest_cluster_by_definition(ClusteringAlgorithm algorithm, DistanceMetric metric)
    {
        // More faces and clusters than one block of the kernel, so blocks, margins and threads are exercised.
        (List<float[]> vectors, _) = IdentityBlobs.Generate(1500, 24, seed: 5, spread: 0.9);
        var faces = vectors.Select((v, i) => Face($"/p/{i:D5}.jpg", v)).ToList();
        var options = new FaceClusteringOptions
        {
            Algorithm = algorithm, Metric = metric, MinSamples = 3, MaxDegreeOfParallelism = 2,
            Epsilon = metric == DistanceMetric.Cosine ? 0.3 : 0.75,
        };

        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(faces, options);

        FaceGroup doubtful = groups[^1];
        Assert.True(doubtful.IsDoubtful);
        int candidates = groups.SelectMany(g => g.Members).Count(m => m.Role == FaceRole.Core);
        Assert.True(doubtful.FaceCount > 100 && candidates > 100, $"{doubtful.FaceCount} doubtful, {candidates} core faces");
        foreach (ClusterMember m in doubtful.Members)
        {
            var nearest = groups.Where(g => !g.IsDoubtful)
                .Select(g => (g.Id, Members: g.Members.Where(c => c.Role == FaceRole.Core).Select(c => c.Face).ToArray()))
                .Where(g => g.Members.Length > 0)
                .Select(g => (g.Id, Distance: Expected(m.Face, g.Members, metric)))
                .OrderBy(g => g.Distance).ThenBy(g => g.Id).ToArray();
            Assert.Equal(nearest[0].Id, m.NearestClusterId);
            Assert.Equal(nearest[0].Distance, m.NearestClusterDistance!.Value, 5);
        }
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    public void The_nearest_cluster_is_that_of_the_nearest_member_not_the_nearest_on_average(DistanceMetric metric)
    {
        // Cluster 0 is spread out but holds a face next to x; cluster 1 is tight and nearer on average.
        float[][] vectors = [V(0.98, 0.2, 0), V(0, 1, 0), V(0, 0, 1), V(0.8, 0.6, 0), V(0.8, -0.6, 0), V(1, 0, 0)];
        var options = new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.AverageLinkage, Metric = metric, MaxDegreeOfParallelism = 1 };
        FaceRole[] roles = [FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Core, FaceRole.Noise];

        NearestCluster? nearest = Assert.Single(NearestClusterFinder.Find(vectors, [[0, 1, 2], [3, 4]], roles, [5], options));

        Assert.Equal(0, nearest!.Value.ClusterId);
        double expected = ExactDistance.FromSurrogate(
            ExactDistance.Surrogate(vectors[5], ExactDistance.Norm(vectors[5]), vectors[0], ExactDistance.Norm(vectors[0]), metric), metric);
        Assert.Equal(expected, nearest.Value.Distance, 6);
    }

    [Fact]
    public void Without_any_cluster_a_doubtful_face_has_no_nearest_cluster()
    {
        var faces = new[] { Face("/p/a.jpg", V(1, 0)), Face("/p/b.jpg", V(0, 1)) };
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(faces,
            new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = 0.1 });

        FaceGroup doubtful = Assert.Single(groups);
        Assert.All(doubtful.Members, m => Assert.Null(m.NearestClusterId ?? (object?)m.NearestClusterDistance));
    }
}
