using System.Text.Json;

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
        var reader = new ModelPackReader(manifest, owner => Path.Combine(root, owner));
        try
        {
            using var stream = new FileStream(manifest, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var doc = JsonDocument.Parse(stream);
            foreach (var p in doc.RootElement.GetProperty("packs").EnumerateArray())
            {
                string name = p.GetProperty("name").GetString() ?? throw new FormatException("A pack in packs.json has no name.");
                packs.Add(reader.Read(p, Path.Combine(root, name), ModelPackSource.BuiltIn, ModelFileException.RestoreAdvice));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
            or ArgumentException or ModelPackDefinitionException)
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

    /// <summary>This catalogue's packs followed by <paramref name="more"/> (installed packs; their names differ from these).</summary>
    public ModelPackCatalog Including(IEnumerable<ModelPack> more) => new(ModelsDirectory, [.. Packs, .. more]);

    /// <summary>The pack called <paramref name="name"/> (case-insensitive).</summary>
    public ModelPack Get(string name)
    {
        var pack = Packs.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        return pack ?? throw new ArgumentException(
            $"Unknown model pack '{name}'. Valid names: {string.Join(", ", Packs.Select(p => p.Name))}.", nameof(name));
    }
}
