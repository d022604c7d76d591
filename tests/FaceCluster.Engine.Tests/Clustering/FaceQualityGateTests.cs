using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.People;
using FaceCluster.Engine.Tests.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>The face-quality gate: its rule, and that the clustering keeps gated detections out of people, visibly.</summary>
public class FaceQualityGateTests
{
    private static FaceEncoding Face(string path, int index, FaceBox box, float confidence = 1, float[]? vector = null) => new()
    {
        Path = path,
        FaceIndex = index,
        Box = box,
        Landmarks = [],
        Confidence = confidence,
        Vector = vector ?? [1f, 0f, 0f],
        Model = "test-pack",
        ImageWidth = 1000,
        ImageHeight = 800,
    };

    private static readonly FaceBox Head = new(400, 300, 200, 240);

    private static FaceGateReason? Check(FaceEncoding face, params FaceEncoding[] photo) => FaceQualityGate.Default.Check(face, [face, .. photo]);

    [Fact]
    public void A_detector_score_below_a_set_lowest_is_gated_and_by_default_none_is()
    {
        var gate = new FaceQualityGate { MinConfidence = 0.8f };
        Assert.Equal(FaceGateReason.LowScore, gate.Check(Face("/a.jpg", 0, Head, confidence: 0.79f), []));
        Assert.Null(gate.Check(Face("/a.jpg", 0, Head, confidence: 0.8f), []));
        Assert.Null(Check(Face("/a.jpg", 0, Head, confidence: 0.7f)));
    }

    [Theory]
    [InlineData(610, 380, 40, 70)] // an ear just right of the head
    [InlineData(450, 340, 50, 40)] // an eye inside it
    [InlineData(470, 520, 60, 50)] // a beard below it
    [InlineData(320, 250, 50, 60)] // hair beyond its corner, within half its size
    public void A_box_inside_a_face_under_half_its_size_or_beside_it_under_a_third_is_a_fragment(float x, float y, float width, float height) =>
        Assert.Equal(FaceGateReason.Fragment, Check(Face("/a.jpg", 1, new FaceBox(x, y, width, height)), Face("/a.jpg", 0, Head)));

    [Theory]
    [InlineData(800, 300, 60, 70)] // a small face in the background, away from the large one
    [InlineData(620, 320, 150, 170)] // a face beside the large one, more than half its size
    [InlineData(640, 330, 70, 80)] // a face in the background beside the large one, a third of its size
    public void A_face_away_from_larger_ones_or_beside_them_at_a_third_of_their_size_passes(float x, float y, float width, float height)
    {
        FaceEncoding head = Face("/a.jpg", 0, Head);
        Assert.Null(Check(Face("/a.jpg", 1, new FaceBox(x, y, width, height)), head));
        Assert.Null(Check(head, Face("/a.jpg", 1, new FaceBox(x, y, width, height))));
    }

    [Fact]
    public void A_second_box_mostly_inside_a_larger_face_is_gated_and_the_larger_passes()
    {
        FaceEncoding head = Face("/a.jpg", 0, Head), inner = Face("/a.jpg", 1, new FaceBox(430, 330, 150, 180));
        Assert.Equal(FaceGateReason.InsideFace, Check(inner, head));
        Assert.Null(Check(head, inner));
    }

    [Fact]
    public void Only_faces_of_the_same_photo_count()
    {
        FaceEncoding ear = Face("/a.jpg", 1, new FaceBox(610, 380, 40, 70));
        Assert.Null(FaceQualityGate.Default.Check(ear, [ear]));
        Assert.Equal(FaceGateReason.Fragment, FaceQualityGate.Default.Check(ear, [ear, Face("/a.jpg", 0, Head)]));
    }

    /// <summary>Ten photos of one person, each with an ear beside the face; the ears' embeddings lie close together.</summary>
    private static List<FaceEncoding> PeopleWithEars()
    {
        var faces = new List<FaceEncoding>();
        for (int i = 0; i < 10; i++)
        {
            faces.Add(Face($"/photos/{i:00}.jpg", 0, Head, vector: [1f, 0.05f * (i % 3), 0f]));
            faces.Add(Face($"/photos/{i:00}.jpg", 1, new FaceBox(610, 380, 40, 70), vector: [0f, 0.05f * (i % 3), 1f]));
        }

        return faces;
    }

    private static FaceClusteringOptions Options(FaceQualityGate? gate, PersonHistory? previous = null) => new()
    {
        Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = 0.3, Metric = DistanceMetric.Cosine, QualityGate = gate, Previous = previous,
    };

    [Fact]
    public void Fragments_never_make_a_person_and_are_doubtful_with_the_reason()
    {
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(PeopleWithEars(), Options(FaceQualityGate.Default));

        FaceGroup person = Assert.Single(groups, g => !g.IsDoubtful);
        Assert.All(person.Members, m => Assert.Equal(0, m.Face.FaceIndex));
        FaceGroup doubtful = Assert.Single(groups, g => g.IsDoubtful);
        Assert.Equal(10, doubtful.FaceCount);
        Assert.All(doubtful.Members, m => Assert.Equal(FaceGateReason.Fragment, m.Gate));
        Assert.All(person.Members, m => Assert.Null(m.Gate));
    }

    [Fact]
    public void Without_the_gate_the_fragments_make_a_person()
    {
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(PeopleWithEars(), Options(null));
        Assert.Equal(2, groups.Count(g => !g.IsDoubtful));
        Assert.DoesNotContain(groups.SelectMany(g => g.Members), m => m.Gate is not null);
    }

    [Fact]
    public void A_gated_face_moved_into_a_person_passes_the_gate_on_later_runs()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(5, temp.FullPath);
        int a = world.AddPerson();
        List<FaceEncoding> faces = world.Faces(a, 6).ToList();
        FaceEncoding blurred = faces[5];
        faces[5] = new FaceEncoding
        {
            Path = blurred.Path, FaceIndex = blurred.FaceIndex, Box = blurred.Box, Landmarks = [], Confidence = 0.75f, Vector = blurred.Vector,
            Model = blurred.Model, ImageWidth = blurred.ImageWidth, ImageHeight = blurred.ImageHeight,
        };
        var scoreGate = new FaceQualityGate { MinConfidence = 0.8f };
        FaceClusteringOptions Options(PersonHistory? previous) => new()
        {
            Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = 0.5, Metric = DistanceMetric.Cosine, Previous = previous, QualityGate = scoreGate,
        };
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(faces, Options(null));
        Assert.Equal(FaceGateReason.LowScore, before.Single(g => g.IsDoubtful).Members.Single().Gate);

        var corrections = PersonCorrections.Empty.WithMove(new FaceMoveCorrection(-1, faces[5].Path, faces[5].FaceIndex, before[0].Id));
        PersonHistory history = PersonHistory.Resolve(world.Manifest(before), corrections, []);
        IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces, Options(history));

        FaceGroup person = Assert.Single(after);
        Assert.Equal(6, person.FaceCount);
        Assert.All(person.Members, m => Assert.Null(m.Gate));
    }
}
