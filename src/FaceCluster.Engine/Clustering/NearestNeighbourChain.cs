namespace FaceCluster.Engine.Clustering;

/// <summary>
/// One merging pass of <see cref="AverageLinkageClusterer"/>: the nearest-neighbour chain algorithm over a sparse
/// graph of candidate group pairs, merging every pair of groups that are mutual nearest neighbours within the
/// horizon.
/// <para>
/// Average linkage is reducible: a merged group is never nearer to a third group than the nearer of its two parts
/// was. So following nearest neighbours from any group reaches a mutual pair, and merging mutual pairs in any order
/// gives the same groups as always merging the globally closest pair (Murtagh 1983; Müllner, "Modern hierarchical,
/// agglomerative clustering algorithms", 2011). Candidates come from <see cref="GroupPairBuffer"/>; a merged group's
/// candidates are its parts' candidates. Distances come from <see cref="LinkageGroups"/>, so nothing per pair is
/// stored but the neighbour's name.
/// </para>
/// <para>
/// Cannot-link: a pair of groups holding faces of one photo is no candidate (and never becomes one again). A group
/// with no allowed candidate within the horizon is finished for the pass: merges elsewhere can only move groups away
/// from it or forbid them.
/// </para>
/// <para>
/// Ties: a chain prefers the group it came from, then the lower group name, so the same input in the same order
/// always gives the same merges.
/// </para>
/// </summary>
internal sealed class NearestNeighbourChain
{
    private readonly LinkageGroups _groups;
    private readonly double _horizon;
    private readonly int[]?[] _neighbours;
    private readonly int[] _seen;
    private int _stamp;

    /// <param name="groups">The groups, merged in place.</param>
    /// <param name="keys">Candidate pairs from <see cref="GroupPairBuffer.Finish"/> (distinct, by group root).</param>
    /// <param name="count">How many of <paramref name="keys"/> are used.</param>
    /// <param name="horizon">Groups merge while their distance is at most this.</param>
    public NearestNeighbourChain(LinkageGroups groups, long[] keys, int count, double horizon)
    {
        _groups = groups;
        _horizon = horizon;
        _seen = new int[groups.Count];
        var degree = new int[groups.Count];
        for (int k = 0; k < count; k++)
        {
            (int a, int b) = GroupPairBuffer.Split(keys[k]);
            degree[a]++;
            degree[b]++;
        }

        _neighbours = new int[]?[groups.Count];
        for (int k = 0; k < count; k++)
        {
            (int a, int b) = GroupPairBuffer.Split(keys[k]);
            (_neighbours[a] ??= new int[degree[a]])[--degree[a]] = b;
            (_neighbours[b] ??= new int[degree[b]])[--degree[b]] = a;
        }
    }

    /// <summary>Merges until no two groups within the horizon may merge. Returns the number of merges.</summary>
    public int Run(CancellationToken ct)
    {
        int merges = 0;
        var finished = new bool[_groups.Count];
        var chain = new List<int>();
        // Merged groups wait here: a merged group may still have candidates, and its name may lie behind the loop.
        var pending = new Stack<int>();
        for (int start = 0; start < _groups.Count; start++)
        {
            pending.Push(start);
            while (pending.TryPop(out int first))
            {
                if (_neighbours[first] is null || finished[first] || _groups.RootOf(first) != first)
                {
                    continue;
                }

                chain.Add(first);
                while (chain.Count > 0)
                {
                    int x = chain[^1];
                    int previous = chain.Count > 1 ? chain[^2] : -1;
                    (int nearest, double distance) = Nearest(x, previous);
                    if (nearest < 0 || distance > _horizon)
                    {
                        // Only the chain's first group can get here (the others are within the horizon of their
                        // predecessor): nothing may merge with it in this pass.
                        finished[x] = true;
                        chain.RemoveAt(chain.Count - 1);
                        continue;
                    }

                    if (nearest == previous)
                    {
                        chain.RemoveRange(chain.Count - 2, 2);
                        pending.Push(Merge(x, previous));
                        if ((++merges & 0x3FF) == 0)
                        {
                            ct.ThrowIfCancellationRequested();
                        }

                        continue;
                    }

                    chain.Add(nearest);
                }
            }
        }

        return merges;
    }

    /// <summary>
    /// The nearest allowed candidate of group <paramref name="x"/> (a root) and its distance; -1 when there is none.
    /// Rewrites x's candidate list on the way: stale names resolved to their groups, duplicates, x itself and
    /// forbidden groups removed.
    /// </summary>
    private (int Nearest, double Distance) Nearest(int x, int previous)
    {
        int[] list = _neighbours[x]!;
        int stamp = NextStamp();
        _seen[x] = stamp;
        int kept = 0, best = -1;
        double bestDistance = double.PositiveInfinity;
        foreach (int name in list)
        {
            int y = _groups.RootOf(name);
            if (_seen[y] == stamp || !_groups.CanLink(x, y))
            {
                continue;
            }

            _seen[y] = stamp;
            list[kept++] = y;
            double d = _groups.Distance(x, y);
            if (d < bestDistance || (d == bestDistance && best != previous && (y == previous || y < best)))
            {
                best = y;
                bestDistance = d;
            }
        }

        if (kept < list.Length)
        {
            _neighbours[x] = kept == 0 ? null : list[..kept];
        }

        return (best, bestDistance);
    }

    private int Merge(int a, int b)
    {
        int[] listA = _neighbours[a]!, listB = _neighbours[b]!;
        int root = _groups.Merge(a, b);
        int stamp = NextStamp();
        _seen[root] = stamp;
        var merged = new int[listA.Length + listB.Length];
        int count = 0;
        foreach (int[] list in (ReadOnlySpan<int[]>)[listA, listB])
        {
            foreach (int name in list)
            {
                int y = _groups.RootOf(name);
                if (_seen[y] != stamp)
                {
                    _seen[y] = stamp;
                    merged[count++] = y;
                }
            }
        }

        _neighbours[a == root ? b : a] = null;
        _neighbours[root] = count == 0 ? null : count == merged.Length ? merged : merged[..count];
        return root;
    }

    private int NextStamp()
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }

        return _stamp;
    }
}
