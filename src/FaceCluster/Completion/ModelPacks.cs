using FaceCluster.Engine.Models;
using FaceCluster.Loading;
using FaceCluster.Model;

namespace FaceCluster.Completion;

/// <summary>
/// The model packs: the built-in ones of packs.json in the <c>models/</c> folder beside the module (read once), and
/// the ones the user installed in the per-user pack folder (read on each use, so an install is seen at once).
/// </summary>
internal static class ModelPacks
{
    // PublicationOnly: a failed load is not cached, so a repaired packs.json is read on the next call.
    private static readonly Lazy<ModelPackCatalog> LazyBuiltIn =
        new(() => ModelPackCatalog.Load(ModuleInitializer.ModelsDirectory), LazyThreadSafetyMode.PublicationOnly);

    public static ModelPackCatalog BuiltIn => LazyBuiltIn.Value;

    /// <summary>The per-user pack folder ($FACECLUSTER_PACKS, else the user's local application data).</summary>
    public static InstalledModelPacks Installed => new(InstalledModelPacks.DefaultRoot(), BuiltIn);

    /// <summary>Built-in packs, then installed ones; an installed pack whose definition is broken is left out.</summary>
    public static ModelPackCatalog Catalog => BuiltIn.Including(Installed.Packs(out _));

    /// <summary>Why the installed pack in the folder called <paramref name="name"/> cannot be read; null when it can or is not there.</summary>
    public static ModelPackDefinitionException? BrokenInstalled(string name)
    {
        Installed.Packs(out var broken);
        return broken.FirstOrDefault(b =>
            string.Equals(Path.GetFileName(Path.GetDirectoryName(b.FilePath)), name, StringComparison.OrdinalIgnoreCase));
    }

    public static IEnumerable<(string Name, string Description)> Describe() =>
        Catalog.Packs.Select(p => (p.Name, p.Description));

    /// <summary>What Get-FaceModelPack and Install-FaceModelPack write for <paramref name="pack"/>.</summary>
    public static FaceModelPack Describe(ModelPack pack) => new()
    {
        Name = pack.Name,
        Source = pack.Source.ToString(),
        Description = pack.Description,
        License = pack.License,
        LicenseAcceptanceRequired = pack.LicenseAcceptanceRequired,
        Path = pack.Directory,
        Installed = pack.Files.All(f => File.Exists(f.FullPath)),
        EmbeddingSize = pack.EmbeddingSize,
        Metric = pack.Metric,
    };
}
