namespace FaceCluster.Engine.Models;

/// <summary>A model file is missing, unreadable or differs from the SHA-256 recorded in packs.json.</summary>
public sealed class ModelFileException : Exception
{
    public const string RestoreAdvice = "run ./build.ps1 to fetch and verify the model packs again";

    public ModelFileException(string filePath, string message, Exception? inner = null)
        : base(message, inner)
    {
        FilePath = filePath;
    }

    /// <summary>Full path of the offending file.</summary>
    public string FilePath { get; }
}
