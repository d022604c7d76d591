namespace FaceCluster.Engine.Clustering;

/// <summary>Union-find with path halving and union by size. Not thread-safe.</summary>
internal sealed class DisjointSet
{
    private readonly int[] _parent;
    private readonly int[] _size;

    public DisjointSet(int count)
    {
        _parent = new int[count];
        _size = new int[count];
        for (int i = 0; i < count; i++)
        {
            _parent[i] = i;
            _size[i] = 1;
        }
    }

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }

        return x;
    }

    /// <summary>Points in the set whose root is <paramref name="root"/>.</summary>
    public int SizeOf(int root) => _size[root];

    /// <summary>Joins the sets of <paramref name="a"/> and <paramref name="b"/>; returns the root of the joined set (the larger one's).</summary>
    public int Union(int a, int b)
    {
        int ra = Find(a), rb = Find(b);
        if (ra == rb)
        {
            return ra;
        }

        if (_size[ra] < _size[rb])
        {
            (ra, rb) = (rb, ra);
        }

        _parent[rb] = ra;
        _size[ra] += _size[rb];
        return ra;
    }
}
