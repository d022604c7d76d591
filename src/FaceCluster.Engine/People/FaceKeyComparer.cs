using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.People;

/// <summary><see cref="FaceKey"/> equality with paths compared as the platform compares them.</summary>
internal sealed class FaceKeyComparer : IEqualityComparer<FaceKey>
{
    public bool Equals(FaceKey x, FaceKey y) => x.FaceIndex == y.FaceIndex && PathComparison.Comparer.Equals(x.Path, y.Path);

    public int GetHashCode(FaceKey key) => HashCode.Combine(PathComparison.Comparer.GetHashCode(key.Path), key.FaceIndex);
}
