using System.Text.Json.Nodes;
using FaceCluster.Engine.Calibration;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Model;
using Xunit;

namespace FaceCluster.Engine.Tests.Calibration;

public sealed class PackCalibratorTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void CountsEachPairOfDifferentPeopleOnceAtItsDistance()
    {
        // A-B at cosine distance 0.505, A-C at 2, B-C about 1.5: one of three pairs within 0.51, none within 0.50.
        var faces = new[]
        {
            Face(Photo("A", 0), [1f, 0f]),
            Face(Photo("B", 0), [0.495f, MathF.Sqrt(1 - (0.495f * 0.495f))]),
            Face(Photo("C", 0), [-1f, 0f]),
        };

        ModelPackCalibration c = PackCalibrator.Calibrate(faces, [Set()], DistanceMetric.Cosine, new PackCalibrationOptions());

        Assert.Equal(3, c.DifferentPeoplePairs);
        Assert.Equal(0.30, c.DistanceFrom);
        Assert.Equal(71, c.ShareAtOrBelow.Count);
        Assert.Equal(0, c.ShareAtOrBelow[20]);
        Assert.Equal(0.333, c.ShareAtOrBelow[21]);
        Assert.Equal(0.333, c.ShareAtOrBelow[^1]);
        Assert.Equal(0.50, c.LinkageThreshold);
        Assert.Null(c.MaxThreshold);
    }

    [Fact]
    public void ScoresOnlyTheLargestFaceOfEachPhoto()
    {
        // A and B are further apart than 1; a small second face in A's photo, identical to B's face, would add a pair at 0.
        var faces = new[]
        {
            Face(Photo("A", 0), [1f, -0.2f]),
            Face(Photo("A", 0), [0f, 1f], index: 1, size: 5),
            Face(Photo("B", 0), [0f, 1f]),
        };

        ModelPackCalibration c = PackCalibrator.Calibrate(faces, [Set()], DistanceMetric.Cosine, new PackCalibrationOptions());

        Assert.Equal(1, c.DifferentPeoplePairs);
        Assert.Equal(0, c.ShareAtOrBelow[^1]);
    }

    [Fact]
    public void CeilingIsTheQuantileOfTheDistanceBetweenPeopleOnTheGrid()
    {
        FaceEncoding[] faces = TwoPeopleOfTenPhotos();

        ModelPackCalibration c = PackCalibrator.Calibrate(faces, [Set()], DistanceMetric.Cosine, new PackCalibrationOptions());

        Assert.Equal(0.69, c.MaxThreshold);
        Assert.Equal(1, c.PeoplePairs);
        Assert.Equal(100, c.DifferentPeoplePairs);
        Assert.Equal(0.69, c.LinkageThreshold);
    }

    [Fact]
    public void SameFacesInAnyOrderGiveTheSameCalibration()
    {
        var random = new Random(7);
        var centres = Enumerable.Range(0, 12).Select(_ => Vector(random, 1f)).ToArray();
        var faces = Enumerable.Range(0, 12).SelectMany(p => Enumerable.Range(0, 12).Select(i =>
            Face(Photo($"P{p:00}", i), centres[p].Zip(Vector(random, 0.6f), (a, b) => a + b).ToArray()))).ToArray();

        ModelPackCalibration first = PackCalibrator.Calibrate(faces, [Set()], DistanceMetric.Cosine, new PackCalibrationOptions());
        ModelPackCalibration second = PackCalibrator.Calibrate(faces.OrderBy(_ => random.Next()).ToArray(), [Set()], DistanceMetric.Cosine, new PackCalibrationOptions());

        Assert.Equal(first.ShareAtOrBelow, second.ShareAtOrBelow);
        Assert.Equal(first.MaxThreshold, second.MaxThreshold);
        Assert.Equal(first.LinkageThreshold, second.LinkageThreshold);
        Assert.Equal(66, first.PeoplePairs);
        Assert.NotNull(first.MaxThreshold);
        Assert.Contains(first.ShareAtOrBelow, s => s is > 0 and < 1);
    }

    [Fact]
    public void CeilingComesOnlyFromTheCeilingSets()
    {
        FaceEncoding[] faces = TwoPeopleOfTenPhotos();

        ModelPackCalibration c = PackCalibrator.Calibrate(faces, [new LabelledSet(_root.FullPath, GroundTruth.FromFolderTree(_root.FullPath), Ceiling: false)],
            DistanceMetric.Cosine, new PackCalibrationOptions());

        Assert.Null(c.MaxThreshold);
        Assert.Equal(0, c.PeoplePairs);
        Assert.Equal(1, c.Sets[0].PeoplePairs);
    }

    [Fact]
    public void NoPairOfDifferentPeopleIsAnError()
    {
        var faces = new[] { Face(Photo("A", 0), [1f, 0f]), Face(Photo("A", 1), [1f, 0f]) };

        Assert.Throws<InvalidOperationException>(() => PackCalibrator.Calibrate(faces, [Set()], DistanceMetric.Cosine, new PackCalibrationOptions()));
    }

    [Fact]
    public void WriterReplacesTheRuleUpToTheCeilingAndKeepsTheRest()
    {
        const string definition = """{ "name": "mine", "metric": "Cosine", "files": [ { "role": "embedding", "name": "e.onnx", "sha256": "ab" } ], "linkageThreshold": 0.5, "libraryThreshold": { "comment": "kept", "maxThreshold": 0.9 } }""";
        var calibration = new ModelPackCalibration
        {
            Metric = DistanceMetric.Cosine, DistanceFrom = 0.30, DistanceStep = 0.01, ShareAtOrBelow = Enumerable.Range(0, 71).Select(k => k / 1000.0).ToArray(),
            DifferentPeoplePairs = 10, PeoplePairs = 3, MaxThreshold = 0.33, LinkageThreshold = 0.31, FalsePairShare = 0.2, CeilingQuantile = 0.001,
            PairShare = 1.5e-4, Sets = [],
        };

        JsonNode written = JsonNode.Parse(PackDefinitionWriter.Apply(definition, calibration))!;

        Assert.Equal("mine", (string?)written["name"]);
        Assert.Equal("e.onnx", (string?)written["files"]![0]!["name"]);
        Assert.Equal(0.31, (double)written["linkageThreshold"]!);
        Assert.Equal("kept", (string?)written["libraryThreshold"]!["comment"]);
        Assert.Equal(0.33, (double)written["libraryThreshold"]!["maxThreshold"]!);
        Assert.Equal(0.2, (double)written["libraryThreshold"]!["falsePairShare"]!);
        Assert.Equal([0, 0.001, 0.002, 0.003], written["libraryThreshold"]!["differentPeople"]!["shareAtOrBelow"]!.AsArray().Select(v => (double)v!));
        Assert.Equal(DistanceMetric.Cosine, PackDefinitionWriter.ReadMetric(definition));
    }

    [Fact]
    public void WriterKeepsTheDefinitionsCeilingWhenNoneWasMeasured()
    {
        var calibration = new ModelPackCalibration
        {
            Metric = DistanceMetric.Cosine, DistanceFrom = 0.30, DistanceStep = 0.01, ShareAtOrBelow = new double[71],
            DifferentPeoplePairs = 10, PeoplePairs = 0, MaxThreshold = null, LinkageThreshold = 0.9, FalsePairShare = 0.2, CeilingQuantile = 0.001,
            PairShare = 1.5e-4, Sets = [],
        };

        JsonNode written = JsonNode.Parse(PackDefinitionWriter.Apply("""{ "metric": "Cosine", "libraryThreshold": { "maxThreshold": 0.6 } }""", calibration))!;

        Assert.Equal(0.6, (double)written["libraryThreshold"]!["maxThreshold"]!);
        Assert.Equal(0.6, (double)written["linkageThreshold"]!);
        Assert.Equal(31, written["libraryThreshold"]!["differentPeople"]!["shareAtOrBelow"]!.AsArray().Count);
        Assert.Throws<FormatException>(() => PackDefinitionWriter.Apply("""{ "metric": "Cosine" }""", calibration));
        Assert.Throws<FormatException>(() => PackDefinitionWriter.ReadMetric("""{ "metric": "Manhattan" }"""));
        Assert.Throws<FormatException>(() => PackDefinitionWriter.ReadMetric("[1"));
    }

    /// <summary>Two people of ten photos each, every photo of B at cosine 0.305 from every photo of A: average distance 0.695.</summary>
    private FaceEncoding[] TwoPeopleOfTenPhotos() => Enumerable.Range(0, 10).SelectMany(i => new[]
    {
        Face(Photo("A", i), [1f, 0f]),
        Face(Photo("B", i), [0.305f, MathF.Sqrt(1 - (0.305f * 0.305f))]),
    }).ToArray();

    private LabelledSet Set() => new(_root.FullPath, GroundTruth.FromFolderTree(_root.FullPath), Ceiling: true);

    private string Photo(string person, int i)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_root.FullPath, person)).FullName;
        string path = Path.Combine(folder, $"{i:00}.jpg");
        File.WriteAllBytes(path, []);
        return path;
    }

    private static FaceEncoding Face(string path, float[] vector, int index = 0, float size = 10) => new()
    {
        Path = path, FaceIndex = index, Box = new FaceBox(0, 0, size, size), Landmarks = [], Confidence = 1, Vector = vector,
        Model = "test", ImageWidth = 100, ImageHeight = 100,
    };

    private static float[] Vector(Random random, float scale) => Enumerable.Range(0, 16).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();
}
