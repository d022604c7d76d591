using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.People;

/// <summary>
/// Identifies one face across runs: the source photo's full path and the face's index in it. (Paths compare as the
/// platform compares file names, see <see cref="Comparer"/>; a photo moved or renamed in the library is a new photo.)
/// </summary>
public readonly record struct FaceKey(string Path, int FaceIndex)
{
    /// <summary>Equality with paths compared as the platform compares them (<see cref="PathComparison"/>).</summary>
    public static IEqualityComparer<FaceKey> Comparer { get; } = new FaceKeyComparer();

    public override string ToString() => FormattableString.Invariant($"{Path}#{FaceIndex}");
}
