using FaceCluster.Model;
using FaceCluster.Engine.Models;

namespace FaceCluster.Engine.Tests.Models;

public class ModelPackCatalogTests
{
    [Fact]
    public void Load_reads_the_faceplugin_pack()
    {
        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);

        Assert.Equal("faceplugin", catalog.DefaultPackName);
        var pack = catalog.Get("FacePlugin");
        Assert.Equal(DistanceMetric.Cosine, pack.Metric);
        Assert.Equal(512, pack.EmbeddingSize);
        Assert.Equal(0.43, pack.Epsilon);
        Assert.Equal(2, pack.MinSamples);
        Assert.Equal(ClusteringAlgorithm.AverageLinkage, pack.Algorithm);
        Assert.Equal(0.54, pack.LinkageThreshold);
        Assert.NotNull(pack.LibraryThreshold);
        Assert.Equal(0.72, pack.LibraryThreshold.MaxThreshold);
        Assert.Equal(0.2, pack.LibraryThreshold.FalsePairShare);
        // The measured share of different-people pairs grows with the distance and is small at the pair threshold.
        Assert.InRange(pack.LibraryThreshold.DifferentPeopleShare(0.54), 1e-5, 1e-3);
        Assert.True(pack.LibraryThreshold.DifferentPeopleShare(0.72) > pack.LibraryThreshold.DifferentPeopleShare(0.54));
        Assert.Equal(0.63, catalog.Get("dlib").LibraryThreshold!.MaxThreshold);
        Assert.Equal(3, pack.Files.Count);
        Assert.Equal("fr_detect.onnx", pack.GetFile(ModelFileRole.Detector).Name);
        Assert.Equal(64, pack.GetFile(ModelFileRole.Embedding).Sha256.Length);
        Assert.Equal(Path.Combine(catalog.ModelsDirectory, "faceplugin"), pack.Directory);
    }

    [Fact]
    public void The_dlib_pack_uses_the_detector_its_packs_json_names()
    {
        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);
        var pack = catalog.Get("dlib");
        Assert.Equal(DetectorKind.UltraLight, catalog.Get("faceplugin").Detector);

        // The pack lists both detectors; GetFile picks the one of the pack's kind.
        Assert.Equal(2, pack.Files.Count(f => f.Role == ModelFileRole.Detector));
        var expected = pack.Detector == DetectorKind.SsdMobilenetV1 ? "ssd_mobilenetv1.onnx" : "fr_detect.onnx";
        Assert.Equal(expected, pack.GetFile(ModelFileRole.Detector).Name);

        var other = pack.Detector == DetectorKind.SsdMobilenetV1 ? DetectorKind.UltraLight : DetectorKind.SsdMobilenetV1;
        var switched = pack.WithDetector(other);
        Assert.Equal(other == DetectorKind.SsdMobilenetV1 ? "ssd_mobilenetv1.onnx" : "fr_detect.onnx", switched.GetFile(ModelFileRole.Detector).Name);
    }

    [Theory]
    [InlineData("{\"packs\": [ {\"name\": \"faceplugin\",")]
    [InlineData("{\"packs\": [ {\"name\": \"faceplugin\"} ]}")]
    [InlineData("{\"packs\": 3}")]
    [InlineData("[]")]
    public void A_damaged_packs_json_is_named_with_the_remedy(string content)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File(ModelPackCatalog.ManifestName), content);

        var e = Assert.Throws<ModelCatalogException>(() => ModelPackCatalog.Load(temp.FullPath));

        Assert.Equal(temp.File(ModelPackCatalog.ManifestName), e.FilePath);
        Assert.Contains(e.FilePath, e.Message);
        Assert.Contains("build.ps1", e.Message);
    }

    [Fact]
    public void Get_an_unknown_pack_lists_the_valid_names()
    {
        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);

        var e = Assert.Throws<ArgumentException>(() => catalog.Get("nope"));

        Assert.Contains("nope", e.Message);
        Assert.Contains("faceplugin", e.Message);
    }

    [Fact]
    public void VerifyFiles_accepts_the_built_pack() =>
        ModelPackCatalog.Load(TestAssets.ModelsDirectory).Get("faceplugin").VerifyFiles();

    [Fact]
    public void VerifyFiles_reports_a_missing_file()
    {
        using var temp = CopyModels();
        File.Delete(Path.Combine(temp.FullPath, "faceplugin", "fr_landmark.onnx"));

        var e = Assert.Throws<ModelFileException>(() => ModelPackCatalog.Load(temp.FullPath).Get("faceplugin").VerifyFiles());

        Assert.Contains("fr_landmark.onnx", e.Message);
        Assert.Contains("missing", e.Message);
        Assert.Contains("run ./build.ps1 to fetch and verify the model packs again", e.Message);
        Assert.EndsWith("fr_landmark.onnx", e.FilePath);
    }

    [Fact]
    public void VerifyFiles_reports_a_tampered_file_with_both_hashes()
    {
        using var temp = CopyModels();
        var pack = ModelPackCatalog.Load(temp.FullPath).Get("faceplugin");
        var target = pack.GetFile(ModelFileRole.Detector);
        var bytes = File.ReadAllBytes(target.FullPath);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(target.FullPath, bytes);
        var actual = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();

        var e = Assert.Throws<ModelFileException>(pack.VerifyFiles);

        Assert.Contains("fr_detect.onnx", e.Message);
        Assert.Contains("tampered", e.Message);
        Assert.Contains("hash mismatch", e.Message);
        Assert.Contains(target.Sha256, e.Message);
        Assert.Contains(actual, e.Message);
        Assert.Contains("run ./build.ps1", e.Message);
    }

    [Fact]
    public void Load_without_packs_json_throws_ModelFileException()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<ModelFileException>(() => ModelPackCatalog.Load(temp.FullPath));
        Assert.Contains("packs.json", e.Message);
    }

    private static TempDirectory CopyModels()
    {
        var temp = new TempDirectory();
        File.Copy(Path.Combine(TestAssets.ModelsDirectory, "packs.json"), temp.File("packs.json"));
        var source = Path.Combine(TestAssets.ModelsDirectory, "faceplugin");
        var target = Directory.CreateDirectory(temp.File("faceplugin")).FullName;
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return temp;
    }
}
