namespace FaceCluster.Engine.Tests;

/// <summary>Finds the build's model packs and sample photos: $FACECLUSTER_MODELS, else artifacts/ above the test assembly.</summary>
internal static class TestAssets
{
    private const string ModelsRelative = "artifacts/module/FaceCluster/models";

    public static string ModelsDirectory { get; } = FindModels();

    public static string SamplesDirectory
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(ModelsDirectory, "..", "..", "..", "samples"));
            var fromRoot = FindUp("artifacts/samples");
            var found = Directory.Exists(dir) ? dir : fromRoot;
            Assert.True(found is not null && Directory.Exists(found),
                "Sample photos not found (artifacts/samples). Run ./build.ps1 to fetch the model packs and samples.");
            return found!;
        }
    }

    public static string Sample(int n) => Path.Combine(SamplesDirectory, $"sample{n}.jpg");

    private static string FindModels()
    {
        var env = Environment.GetEnvironmentVariable("FACECLUSTER_MODELS");
        if (!string.IsNullOrEmpty(env))
        {
            Assert.True(File.Exists(Path.Combine(env, "packs.json")), $"FACECLUSTER_MODELS='{env}' holds no packs.json. Run ./build.ps1.");
            return env;
        }

        var found = FindUp(ModelsRelative);
        Assert.True(found is not null && File.Exists(Path.Combine(found, "packs.json")),
            $"Model packs not found: set FACECLUSTER_MODELS or run ./build.ps1 so that {ModelsRelative} exists above {AppContext.BaseDirectory}.");
        return found!;
    }

    private static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
