namespace FaceCluster.Engine.Models;

/// <summary>packs.json exists but cannot be read as a model-pack catalogue (damaged, edited by hand, half written).</summary>
public sealed class ModelCatalogException : Exception
{
    public ModelCatalogException(string filePath, string problem, Exception? inner = null)
        : base($"Model catalogue '{filePath}' is damaged ({problem}); {ModelFileException.RestoreAdvice}.", inner)
    {
        FilePath = filePath;
    }

    /// <summary>Full path of packs.json.</summary>
    public string FilePath { get; }
}
