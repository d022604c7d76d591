using System.Text.Json;
using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Models;

/// <summary>The model packs listed in a models folder's packs.json.</summary>
public sealed class ModelPackCatalog
{
    public const string ManifestName = "packs.json";

    private ModelPackCatalog(string modelsDirectory, IReadOnlyList<ModelPack> packs)
    {
        ModelsDirectory = modelsDirectory;
        Packs = packs;
    }

    public string ModelsDirectory { get; }

    public IReadOnlyList<ModelPack> Packs { get; }

    /// <summary>Name of the first pack in packs.json.</summary>
    public string DefaultPackName => Packs[0].Name;

    /// <summary>Reads <c>packs.json</c> in <paramref name="modelsDirectory"/>; each pack's files live in a sub-folder named after the pack.</summary>
    /// <exception cref="ModelFileException">packs.json is missing or lists no pack.</exception>
    /// <exception cref="ModelCatalogException">packs.json is not a valid catalogue.</exception>
    public static ModelPackCatalog Load(string modelsDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelsDirectory);
        var root = Path.GetFullPath(modelsDirectory);
        var manifest = Path.Combine(root, ManifestName);
        if (!File.Exists(manifest))
        {
            throw new ModelFileException(manifest, $"Model manifest '{manifest}' is missing; {ModelFileException.RestoreAdvice}.");
        }

        var packs = new List<ModelPack>();
        try
        {
            using var stream = new FileStream(manifest, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var doc = JsonDocument.Parse(stream);
            foreach (var p in doc.RootElement.GetProperty("packs").EnumerateArray())
            {
                packs.Add(ReadPack(root, p));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
            or ArgumentException or NullReferenceException)
        {
            // Whatever JsonDocument or a missing or mistyped property throws: the file, not the caller, is wrong.
            throw new ModelCatalogException(manifest, e.Message, e);
        }

        if (packs.Count == 0)
        {
            throw new ModelFileException(manifest, $"Model manifest '{manifest}' lists no packs; {ModelFileException.RestoreAdvice}.");
        }

        return new ModelPackCatalog(root, packs);
    }

    /// <summary>The pack called <paramref name="name"/> (case-insensitive).</summary>
    public ModelPack Get(string name)
    {
        var pack = Packs.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        return pack ?? throw new ArgumentException(
            $"Unknown model pack '{name}'. Valid names: {string.Join(", ", Packs.Select(p => p.Name))}.", nameof(name));
    }

    private static ModelPack ReadPack(string root, JsonElement p)
    {
        var name = p.GetProperty("name").GetString() ?? throw new FormatException("A pack in packs.json has no name.");
        var dir = Path.Combine(root, name);
        var files = p.GetProperty("files").EnumerateArray().Select(f =>
        {
            var fileName = f.GetProperty("name").GetString()!;
            var role = Enum.Parse<ModelFileRole>(f.GetProperty("role").GetString()!, ignoreCase: true);
            // "fromPack": the file is another pack's (the dlib pack shares faceplugin's detector and landmarks).
            var fileDir = f.TryGetProperty("fromPack", out var owner) ? Path.Combine(root, owner.GetString()!) : dir;
            return new ModelFile(role, fileName, Path.Combine(fileDir, fileName), f.GetProperty("sha256").GetString()!, ReadDetectorKind(f));
        }).ToArray();

        return new ModelPack
        {
            Name = name,
            Description = p.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "",
            Metric = Enum.Parse<DistanceMetric>(p.GetProperty("metric").GetString()!, ignoreCase: true),
            Epsilon = p.GetProperty("epsilon").GetDouble(),
            MinSamples = p.GetProperty("minSamples").GetInt32(),
            Algorithm = Enum.Parse<ClusteringAlgorithm>(p.GetProperty("algorithm").GetString()!, ignoreCase: true),
            LinkageThreshold = p.GetProperty("linkageThreshold").GetDouble(),
            LibraryThreshold = p.TryGetProperty("libraryThreshold", out var rule) ? ReadLibraryThresholdRule(rule) : null,
            EmbeddingSize = p.GetProperty("embeddingSize").GetInt32(),
            Directory = dir,
            Files = files,
            Detector = ReadDetectorKind(p),
            ChipTemplate = p.TryGetProperty("alignment", out var alignment) ? ReadChipTemplate(alignment) : null,
            Input = p.TryGetProperty("input", out var input) ? ReadEmbeddingInput(input) : EmbeddingInput.ArcFace,
        };
    }

    /// <summary>"detector" of a pack or of a file; Ultra-Light when absent.</summary>
    private static DetectorKind ReadDetectorKind(JsonElement element) =>
        element.TryGetProperty("detector", out var kind) ? Enum.Parse<DetectorKind>(kind.GetString()!, ignoreCase: true) : DetectorKind.UltraLight;

    private static FaceChipTemplate ReadChipTemplate(JsonElement a) => new(
        a.GetProperty("chipSize").GetInt32(),
        a.GetProperty("padding").GetDouble(),
        a.GetProperty("template").EnumerateArray().Select(t => new FacePoint(t[0].GetSingle(), t[1].GetSingle())).ToArray(),
        a.GetProperty("landmarks68").EnumerateArray().Select(i => i.GetInt32()).ToArray());

    private static LibraryThresholdRule ReadLibraryThresholdRule(JsonElement r)
    {
        JsonElement different = r.GetProperty("differentPeople");
        double[] shares = different.GetProperty("shareAtOrBelow").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        if (shares.Length == 0 || shares.Zip(shares.Skip(1)).Any(p => p.Second < p.First))
        {
            throw new FormatException("libraryThreshold.differentPeople.shareAtOrBelow must be a non-empty, non-decreasing list.");
        }

        return new LibraryThresholdRule
        {
            MaxThreshold = r.GetProperty("maxThreshold").GetDouble(),
            FalsePairShare = r.GetProperty("falsePairShare").GetDouble(),
            DistanceFrom = different.GetProperty("from").GetDouble(),
            DistanceStep = different.GetProperty("step").GetDouble(),
            DifferentPeopleShareAtOrBelow = shares,
        };
    }

    private static EmbeddingInput ReadEmbeddingInput(JsonElement i) => new(
        string.Equals(i.GetProperty("channelOrder").GetString(), "BGR", StringComparison.OrdinalIgnoreCase),
        i.GetProperty("mean").EnumerateArray().Select(m => m.GetSingle()).ToArray(),
        i.GetProperty("divisor").GetSingle(),
        i.GetProperty("normalizeOutput").GetBoolean());
}
