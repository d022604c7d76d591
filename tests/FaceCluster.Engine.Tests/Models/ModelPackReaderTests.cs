using System.Text.Json;
using System.Text.Json.Nodes;
using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Models;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Models;

public class ModelPackReaderTests
{
    private const string Sha = "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581";

    private static JsonObject Definition() => JsonNode.Parse($$"""
        {
          "name": "mine", "license": "research only", "licenseAcceptanceRequired": true,
          "files": [
            { "role": "detector", "fromPack": "faceplugin", "name": "fr_detect.onnx", "sha256": "{{Sha}}" },
            { "role": "landmarks", "fromPack": "faceplugin", "name": "fr_landmark.onnx", "sha256": "{{Sha}}" },
            { "role": "embedding", "name": "net.onnx", "sha256": "{{Sha.ToUpperInvariant()}}" }
          ],
          "embeddingSize": 512, "metric": "Cosine", "epsilon": 0.4, "minSamples": 2, "algorithm": "AverageLinkage",
          "linkageThreshold": 0.6,
          "libraryThreshold": { "maxThreshold": 0.8, "falsePairShare": 0.2, "differentPeople": { "from": 0.3, "step": 0.01, "shareAtOrBelow": [0, 0.001, 0.01] } },
          "alignment": { "template": "arcface" },
          "input": { "channelOrder": "BGR", "mean": [127.5, 127.5, 127.5], "std": [127.5, 128, 129], "normalizeOutput": false }
        }
        """)!.AsObject();

    private static ModelPack Read(JsonNode definition) =>
        new ModelPackReader("/defs/mine.json", owner => owner == "faceplugin" ? "/models/faceplugin" : null)
            .Read(JsonDocument.Parse(definition.ToJsonString()).RootElement, "/packs/mine", ModelPackSource.Installed, "reinstall it");

    [Fact]
    public void Reads_every_field_of_a_user_definition()
    {
        var pack = Read(Definition());

        Assert.Equal("mine", pack.Name);
        Assert.Equal("research only", pack.License);
        Assert.True(pack.LicenseAcceptanceRequired);
        Assert.Equal(ModelPackSource.Installed, pack.Source);
        Assert.Null(pack.ChipTemplate); // "arcface": faceplugin's own alignment path
        Assert.True(pack.Input.Bgr);
        Assert.Equal([127.5f, 128f, 129f], pack.Input.StdRgb);
        Assert.False(pack.Input.NormalizeOutput);
        Assert.Equal(0.8, pack.LibraryThreshold!.MaxThreshold);
        Assert.Equal(Path.Combine("/models/faceplugin", "fr_detect.onnx"), pack.GetFile(ModelFileRole.Detector).FullPath);
        Assert.Equal("faceplugin", pack.GetFile(ModelFileRole.Detector).FromPack);
        var embedding = pack.GetFile(ModelFileRole.Embedding);
        Assert.Equal(Path.Combine("/packs/mine", "net.onnx"), embedding.FullPath);
        Assert.Null(embedding.FromPack);
        Assert.Equal(Sha, embedding.Sha256);
    }

    [Fact]
    public void An_explicit_template_is_the_unit_square_with_padding_zero_unless_given()
    {
        var definition = Definition();
        definition["alignment"] = JsonNode.Parse("""{ "chipSize": 128, "template": [[0.3, 0.4], [0.7, 0.4], [0.5, 0.7]], "landmarks68": [36, 45, 30] }""");

        var template = Read(definition).ChipTemplate!;

        Assert.Equal(128, template.ChipSize);
        Assert.Equal(0, template.Padding);
        Assert.Equal([36, 45, 30], template.Landmarks68);
        Assert.Equal(new FacePoint(0.3f * 128, 0.4f * 128), template.ChipPoints()[0]);
    }

    [Fact]
    public void The_built_in_packs_read_as_they_always_have()
    {
        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);
        var faceplugin = catalog.Get("faceplugin");
        var dlib = catalog.Get("dlib");

        Assert.Null(faceplugin.ChipTemplate);
        Assert.Equal(EmbeddingInput.ArcFace.MeanRgb, faceplugin.Input.MeanRgb);
        Assert.Equal(EmbeddingInput.ArcFace.StdRgb, faceplugin.Input.StdRgb);
        Assert.True(faceplugin.Input.NormalizeOutput);
        Assert.Equal("MIT", faceplugin.License);
        Assert.False(faceplugin.LicenseAcceptanceRequired);
        Assert.Equal(ModelPackSource.BuiltIn, faceplugin.Source);

        Assert.Equal(FaceChipTemplate.Dlib.ChipSize, dlib.ChipTemplate!.ChipSize);
        Assert.Equal(FaceChipTemplate.Dlib.Padding, dlib.ChipTemplate.Padding);
        Assert.Equal(FaceChipTemplate.Dlib.UnitPoints, dlib.ChipTemplate.UnitPoints);
        Assert.Equal(FaceChipTemplate.Dlib.Landmarks68, dlib.ChipTemplate.Landmarks68);
        Assert.Equal([255f, 255f, 255f], dlib.Input.StdRgb); // "divisor": one std for every channel
        Assert.False(dlib.Input.NormalizeOutput);
    }

    [Theory]
    [InlineData("name", null)]
    [InlineData("name", "\"a/b\"")]
    [InlineData("files", "[]")]
    [InlineData("files[2].sha256", "\"12ab\"")]
    [InlineData("files[2].name", "\"sub/net.onnx\"")]
    [InlineData("files[0].fromPack", "\"dlib\"")]
    [InlineData("files[2].role", "\"identity\"")]
    [InlineData("embeddingSize", "0")]
    [InlineData("metric", "\"Hamming\"")]
    [InlineData("epsilon", "\"0.4\"")]
    [InlineData("minSamples", "1.5")]
    [InlineData("algorithm", null)]
    [InlineData("linkageThreshold", "-0.1")]
    [InlineData("licenseAcceptanceRequired", "1")]
    [InlineData("libraryThreshold.differentPeople.shareAtOrBelow", "[0.1, 0.05]")]
    [InlineData("libraryThreshold.falsePairShare", "2")]
    [InlineData("alignment.template", "\"dlib5\"")]
    [InlineData("alignment.chipSize", "150")]
    [InlineData("input.channelOrder", "\"RBG\"")]
    [InlineData("input.mean", "[1, 2]")]
    [InlineData("input.std", "[1, 0, 1]")]
    [InlineData("input.divisor", "128")]
    [InlineData("input.normalizeOutput", "\"L2\"")]
    public void A_wrong_field_is_named_with_the_file(string field, string? value)
    {
        var definition = Definition();
        Set(definition, field, value);

        var e = Assert.Throws<ModelPackDefinitionException>(() => Read(definition));

        Assert.Equal(field, e.Field);
        Assert.Equal("/defs/mine.json", e.FilePath);
        Assert.StartsWith($"Model pack definition '/defs/mine.json': field '{field}' ", e.Message);
    }

    [Fact]
    public void An_installed_pack_cannot_take_a_built_in_name_nor_another_pack_s_files_but_built_in_ones()
    {
        using var temp = new TempDirectory();
        var store = new InstalledModelPacks(temp.File("packs"), ModelPackCatalog.Load(TestAssets.ModelsDirectory));
        var definition = Definition();
        definition["name"] = "FacePlugin";
        File.WriteAllText(temp.File("def.json"), definition.ToJsonString());

        var e = Assert.Throws<ModelPackDefinitionException>(() => store.ReadDefinition(temp.File("def.json")));

        Assert.Equal("name", e.Field);
        Assert.Contains("built-in", e.Message);
    }

    [Fact]
    public void A_wrong_hash_installs_nothing_and_a_broken_installed_definition_is_reported_not_thrown()
    {
        using var temp = new TempDirectory();
        var builtIn = ModelPackCatalog.Load(TestAssets.ModelsDirectory);
        var store = new InstalledModelPacks(temp.File("packs"), builtIn);
        File.WriteAllText(temp.File("def.json"), Definition().ToJsonString());
        var wrong = builtIn.Get("faceplugin").GetFile(ModelFileRole.Landmarks).FullPath;

        var e = Assert.Throws<ModelPackInstallException>(() => store.Install(temp.File("def.json"), [wrong], licenseAccepted: true, force: false));

        Assert.Equal(ModelPackInstallProblem.HashMismatch, e.Problem);
        Assert.Empty(Directory.GetFileSystemEntries(store.Root));

        Directory.CreateDirectory(Path.Combine(store.Root, "half"));
        File.WriteAllText(Path.Combine(store.Root, "half", InstalledModelPacks.DefinitionName), "{");
        Assert.Empty(store.Packs(out var broken));
        Assert.Contains("not valid JSON", Assert.Single(broken).Message);
    }

    private static void Set(JsonObject definition, string field, string? value)
    {
        // field is a path such as files[2].sha256 or input.std; null removes the field.
        JsonNode node = definition;
        string[] parts = field.Split('.');
        foreach (string part in parts[..^1])
        {
            node = Step(node, part);
        }

        string last = parts[^1];
        if (last.Contains('['))
        {
            node = Step(node, last[..last.IndexOf('[')]);
            last = last[(last.IndexOf('[') + 1)..^1];
            node[int.Parse(last)] = value is null ? null : JsonNode.Parse(value);
        }
        else if (value is null)
        {
            node.AsObject().Remove(last);
        }
        else
        {
            node[last] = JsonNode.Parse(value);
        }
    }

    private static JsonNode Step(JsonNode node, string part)
    {
        int open = part.IndexOf('[');
        return open < 0 ? node[part]! : node[part[..open]]![int.Parse(part[(open + 1)..^1])]!;
    }
}
