namespace FaceCluster.Engine.Models;

/// <summary>A model pack definition (an entry of packs.json, or a user's pack definition file) has a missing or wrong field.</summary>
public sealed class ModelPackDefinitionException : Exception
{
    public ModelPackDefinitionException(string filePath, string field, string problem, Exception? inner = null)
        : base($"Model pack definition '{filePath}': {(field.Length == 0 ? "the file" : $"field '{field}'")} {problem}.", inner)
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>Full path of the definition file.</summary>
    public string FilePath { get; }

    /// <summary>The field at fault as a JSON path (<c>files[2].sha256</c>); empty when the file as a whole is.</summary>
    public string Field { get; }
}
