namespace FaceCluster.Model;

/// <summary>How the clustering finds the pairs of faces near each other.</summary>
public enum NeighbourSearch
{
    /// <summary>Exact up to <c>ApproximateFrom</c> faces (the engine's NeighbourSearchChoice), approximate from there on.</summary>
    Auto,

    /// <summary>Every pair of faces is compared: the time grows with the square of the faces.</summary>
    Exact,

    /// <summary>
    /// Each face's nearest faces are looked for among the faces of its nearest cells (an inverted file) and their
    /// neighbours, and compared exactly: far less work than every pair. A pair the search misses is not compared.
    /// </summary>
    Approximate,
}
