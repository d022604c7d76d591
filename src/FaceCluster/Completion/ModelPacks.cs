using FaceCluster.Engine.Models;
using FaceCluster.Loading;

namespace FaceCluster.Completion;

/// <summary>The module's model-pack catalogue, read once from the <c>models/</c> folder beside the module.</summary>
internal static class ModelPacks
{
    // PublicationOnly: a failed load is not cached, so a repaired packs.json is read on the next call.
    private static readonly Lazy<ModelPackCatalog> LazyCatalog =
        new(() => ModelPackCatalog.Load(ModuleInitializer.ModelsDirectory), LazyThreadSafetyMode.PublicationOnly);

    public static ModelPackCatalog Catalog => LazyCatalog.Value;

    public static IEnumerable<(string Name, string Description)> Describe() =>
        Catalog.Packs.Select(p => (p.Name, p.Description));
}
