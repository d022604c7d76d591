namespace FaceCluster.Engine.Clustering;

/// <summary>Receives neighbour pairs found by <see cref="NeighbourScan"/>, from its worker threads.</summary>
internal interface IPairSink
{
    /// <summary>
    /// Pairs (i, j), i &lt; j, within epsilon, interleaved as i0, j0, i1, j1, ...; every i lies in the row block
    /// starting at <paramref name="blockStart"/>. Called by worker <paramref name="worker"/> (0-based), several
    /// times per row block if it has many pairs. The span is reused after the call returns.
    /// </summary>
    void Accept(int worker, int blockStart, ReadOnlySpan<int> pairs);
}
