namespace FaceCluster.ModelConverter;

/// <summary>One dimension of a graph input or output: a fixed size, or a symbolic name such as <c>batch</c>.</summary>
internal readonly record struct DimensionOrSize(long Size, string? SymbolicName)
{
    public static implicit operator DimensionOrSize(long size) => new(size, null);

    public static implicit operator DimensionOrSize(string symbolicName) => new(0, symbolicName);
}
