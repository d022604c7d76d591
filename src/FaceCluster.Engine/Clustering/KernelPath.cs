namespace FaceCluster.Engine.Clustering;

/// <summary>The vector width <see cref="DotTileKernel"/>'s float path runs at.</summary>
internal enum KernelPath
{
    Scalar,
    Vector128,
    Vector256,
}
