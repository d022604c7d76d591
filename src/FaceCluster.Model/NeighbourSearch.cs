namespace FaceCluster.Model;

/// <summary>How the clustering finds the pairs of faces near each other.</summary>
public enum NeighbourSearch
{
    /// <summary>Exact up to <c>ApproximateFrom</c> faces (the engine's NeighbourSearchChoice), approximate from there on.</summary>
    Auto,

    /// <summary>Every pair of faces is compared: the time grows with the square of the faces.</summary>
    Exact,

    /// <summary>
    /// Each face's nearest faces come from an approximate nearest-neighbour index (HNSW) and are compared exactly:
    /// the time grows about with the faces. A pair the index misses is not compared.
    /// </summary>
    Approximate,
}
