namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Keeps the pairs that <see cref="NeighbourScan"/> finds together with their exact distance (computed again in
/// double, like the scan's own tie-breaking), one list per worker. The order in which they are handed back
/// depends on thread timing; <see cref="AverageLinkageMerger"/> does not depend on it.
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

    /// <summary>Every pair, worker list by worker list, each list released once read (so the pairs are not held twice).</summary>
    public IEnumerable<WeightedEdge> Drain()
    {
        for (int w = 0; w < _edges.Length; w++)
        {
            List<WeightedEdge> list = _edges[w];
            _edges[w] = [];
            foreach (WeightedEdge e in list)
            {
                yield return e;
            }
        }
    }

    /// <summary>How many pairs each point is in, without consuming them.</summary>
    public int[] Degrees(int count)
    {
        var degrees = new int[count];
        foreach (List<WeightedEdge> list in _edges)
        {
            foreach (WeightedEdge e in list)
            {
                degrees[e.I]++;
                degrees[e.J]++;
            }
        }

        return degrees;
    }
}
