namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Where neighbour pairs come from: every pair within a threshold (<see cref="NeighbourScan"/>), or the approximate
/// neighbours' pairs within it (<see cref="NeighbourGraph.Within"/>).
/// </summary>
internal interface IPairSource
{
    /// <summary>Work units of one <see cref="Run"/>, for progress.</summary>
    long TileCount { get; }

    /// <summary>At most how many pairs one <see cref="Run"/> hands over.</summary>
    long MaxPairs { get; }

    /// <summary>
    /// Hands every pair to <paramref name="sink"/>, from up to <paramref name="workers"/> threads, row block by row
    /// block. <paramref name="tileFilter"/> (row block, column block) may skip blocks known to hold no pair of interest;
    /// <paramref name="tilesDone"/> hears the units done.
    /// </summary>
    void Run(IPairSink sink, int workers, Func<int, int, bool>? tileFilter, Action<long> tilesDone, CancellationToken ct);
}
