namespace FaceCluster.Serialization;

/// <summary>Pipeline input that is neither a face record nor a copy of one with every property the record needs.</summary>
public sealed class InvalidFaceObjectException : FormatException
{
    public InvalidFaceObjectException(string message, object? target)
        : base(message) => Target = target;

    /// <summary>What the error names: the encoding's path or the group's label where the input has one, else the input.</summary>
    public object? Target { get; }
}
