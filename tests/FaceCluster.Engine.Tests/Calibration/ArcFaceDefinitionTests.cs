using System.Text.Json.Nodes;
using FaceCluster.Engine.Calibration;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Calibration;

/// <summary>models/arcface-mbf.json: a definition the user installs, never a pack the build fetches or packages.</summary>
public sealed class ArcFaceDefinitionTests
{
    private static readonly string Models = FindModels();

    [Fact]
    public void IsNotABuiltInPack()
    {
        var builtIn = JsonNode.Parse(File.ReadAllText(Path.Combine(Models, "packs.json")))!["packs"]!.AsArray();

        Assert.DoesNotContain(builtIn, p => (string?)p!["name"] == "arcface-mbf");
        Assert.DoesNotContain("w600k", File.ReadAllText(Path.Combine(Models, "packs.json")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NamesTheWeightsItsLicenceAndACalibratedRule()
    {
        string json = File.ReadAllText(Path.Combine(Models, "arcface-mbf.json"));
        var pack = JsonNode.Parse(json)!;

        Assert.Equal(DistanceMetric.Cosine, PackDefinitionWriter.ReadMetric(json));
        Assert.True((bool)pack["licenseAcceptanceRequired"]!);
        Assert.Contains("non-commercial research", (string?)pack["license"]);
        var embedding = pack["files"]!.AsArray().Single(f => (string?)f!["role"] == "embedding")!;
        Assert.Equal("7caa7fb0ad6c37b33e6c59f6411084b487aaabd596bba645d2cce391a5871120", (string?)embedding["sha256"]);
        var rule = pack["libraryThreshold"]!;
        double ceiling = (double)rule["maxThreshold"]!, from = (double)rule["differentPeople"]!["from"]!, step = (double)rule["differentPeople"]!["step"]!;
        double[] table = rule["differentPeople"]!["shareAtOrBelow"]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal((int)Math.Round((ceiling - from) / step) + 1, table.Length);
        Assert.Equal(table.Order(), table);
        Assert.InRange((double)pack["linkageThreshold"]!, from, ceiling);
    }

    /// <summary>The checkout's models folder (not the built module's), above the test assembly.</summary>
    private static string FindModels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string models = Path.Combine(dir.FullName, "models");
            if (File.Exists(Path.Combine(models, "arcface-mbf.json")))
            {
                return models;
            }
        }

        throw new InvalidOperationException("models/arcface-mbf.json not found above the test assembly.");
    }
}
