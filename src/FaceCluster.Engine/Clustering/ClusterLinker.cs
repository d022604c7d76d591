namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Second pass, once the core points are known: joins core points that are neighbours (union-find) and gives
/// each non-core point its nearest core neighbour, by exact double distance, ties to the lower index. Exact
/// distances are computed by the calling worker; only the bookkeeping is under the lock.
/// </summary>
internal sealed class ClusterLinker : IPairSink
{
    private readonly VectorSet _set;
    private readonly bool[] _core;
    private readonly DisjointSet _components;
    private readonly int[] _nearestCore;
    private readonly double[] _nearestDistance;
    private readonly object _gate = new();

    public ClusterLinker(VectorSet set, bool[] core)
    {
        _set = set;
        _core = core;
        _components = new DisjointSet(core.Length);
        _nearestCore = new int[core.Length];
        Array.Fill(_nearestCore, -1);
        _nearestDistance = new double[core.Length];
        Array.Fill(_nearestDistance, double.PositiveInfinity);
    }

    /// <summary>The component (union-find root) of each core point.</summary>
    public DisjointSet Components => _components;

    /// <summary>Nearest core neighbour of each non-core point, -1 where it has none.</summary>
    public int[] NearestCore => _nearestCore;

    /// <summary>True when a tile between these row and column blocks may hold a pair with a core point.</summary>
    public bool MayMatter(int rowBlock, int columnBlock) => HasCore(rowBlock) || HasCore(columnBlock);

    private bool HasCore(int block)
    {
        int start = block * NeighbourScan.BlockSize;
        int end = Math.Min(_core.Length, start + NeighbourScan.BlockSize);
        return Array.IndexOf(_core, true, start, end - start) >= 0;
    }

    public void Accept(int worker, int blockStart, ReadOnlySpan<int> pairs)
    {
        var joins = new List<(int, int)>();
        var offers = new List<(int Point, int Core, double Distance)>();
        for (int k = 0; k < pairs.Length; k += 2)
        {
            int i = pairs[k], j = pairs[k + 1];
            bool ci = _core[i], cj = _core[j];
            if (ci && cj)
            {
                joins.Add((i, j));
            }
            else if (ci)
            {
                offers.Add((j, i, _set.Surrogate(j, i)));
            }
            else if (cj)
            {
                offers.Add((i, j, _set.Surrogate(i, j)));
            }
        }

        lock (_gate)
        {
            foreach ((int i, int j) in joins)
            {
                _components.Union(i, j);
            }

            foreach ((int p, int c, double d) in offers)
            {
                if (d < _nearestDistance[p] || (d == _nearestDistance[p] && c < _nearestCore[p]))
                {
                    _nearestDistance[p] = d;
                    _nearestCore[p] = c;
                }
            }
        }
    }
}
