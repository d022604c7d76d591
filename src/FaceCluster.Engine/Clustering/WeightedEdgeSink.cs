namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Keeps the pairs that <see cref="NeighbourScan"/> finds together with their exact distance (computed again in
/// double, like the scan's own tie-breaking), one list per worker, and hands them back sorted by (i, j) so that
/// whatever consumes them does so in an order that does not depend on thread timing.
/// </summary>
internal sealed class WeightedEdgeSink(VectorSet set, int workers) : IPairSink
{
    private readonly List<WeightedEdge>[] _edges = Enumerable.Range(0, workers).Select(_ => new List<WeightedEdge>()).ToArray();

    public void Accept(int worker, int blockStart, ReadOnlySpan<int> pairs)
    {
        List<WeightedEdge> list = _edges[worker];
        for (int k = 0; k + 1 < pairs.Length; k += 2)
        {
            int i = pairs[k], j = pairs[k + 1];
            list.Add(new WeightedEdge(i, j, ExactDistance.FromSurrogate(set.Surrogate(i, j), set.Metric)));
        }
    }

    /// <summary>All pairs, sorted by i then j; the per-worker lists are released.</summary>
    public WeightedEdge[] TakeSorted()
    {
        var all = new WeightedEdge[_edges.Sum(l => l.Count)];
        int n = 0;
        for (int w = 0; w < _edges.Length; w++)
        {
            _edges[w].CopyTo(all, n);
            n += _edges[w].Count;
            _edges[w] = [];
        }

        Array.Sort(all, static (a, b) => a.I != b.I ? a.I.CompareTo(b.I) : a.J.CompareTo(b.J));
        return all;
    }
}
