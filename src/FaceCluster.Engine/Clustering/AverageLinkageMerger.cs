namespace FaceCluster.Engine.Clustering;

/// <summary>
/// The merging half of <see cref="AverageLinkageClusterer"/>: a priority queue of group pairs by average clipped
/// distance, with lazy deletion (a pair whose groups changed since it was queued is skipped when it comes up).
/// Each live group keeps, per neighbouring group, the sum and number of its stored (within the cut-off) pairs;
/// merging two groups adds their neighbours' entries, so a merge costs the size of the two neighbour maps.
/// </summary>
internal sealed class AverageLinkageMerger
{
    private readonly double _threshold;
    private readonly double _cutoff;
    private readonly int[] _parent;
    private readonly int[] _size;
    private readonly int[] _version;
    private readonly Dictionary<int, PairSum>?[] _links;
    private readonly HashSet<int>?[]? _cannotLink;
    private readonly PriorityQueue<(int A, int B, int VersionA, int VersionB), (double Distance, int A, int B)> _queue = new();

    public AverageLinkageMerger(int count, double threshold, double cutoff, IReadOnlyList<int>? cannotLinkGroups)
    {
        _threshold = threshold;
        _cutoff = cutoff;
        _parent = new int[count];
        _size = new int[count];
        _version = new int[count];
        _links = new Dictionary<int, PairSum>?[count];
        for (int i = 0; i < count; i++)
        {
            _parent[i] = i;
            _size[i] = 1;
        }

        if (cannotLinkGroups is not null)
        {
            _cannotLink = new HashSet<int>?[count];
            for (int i = 0; i < count; i++)
            {
                if (cannotLinkGroups[i] >= 0)
                {
                    _cannotLink[i] = [cannotLinkGroups[i]];
                }
            }
        }
    }

    public int Count => _parent.Length;

    /// <summary>
    /// Stores the pairs within the cut-off (any order) and queues those within the threshold.
    /// <paramref name="degrees"/> (pairs per point) sizes each point's map exactly, so no map grows and wastes space.
    /// </summary>
    public void AddPairs(int[] degrees, IEnumerable<WeightedEdge> pairs)
    {
        foreach (WeightedEdge e in pairs)
        {
            (_links[e.I] ??= new Dictionary<int, PairSum>(degrees[e.I]))[e.J] = new PairSum(e.Distance, 1);
            (_links[e.J] ??= new Dictionary<int, PairSum>(degrees[e.J]))[e.I] = new PairSum(e.Distance, 1);
            if (e.Distance <= _threshold)
            {
                (int lo, int hi) = e.I < e.J ? (e.I, e.J) : (e.J, e.I);
                _queue.Enqueue((lo, hi, 0, 0), (e.Distance, lo, hi));
            }
        }
    }

    /// <summary>
    /// Merges groups, closest first, while the closest pair that may merge is within the threshold. Which pair is
    /// closest is decided by (distance, lower index, higher index), and each sum is added in merge order, so the
    /// result does not depend on the order in which the pairs were added.
    /// </summary>
    /// <param name="ct">Checked every few thousand queue entries.</param>
    public void Run(CancellationToken ct)
    {
        long step = 0;
        while (_queue.TryDequeue(out var pair, out var priority))
        {
            if ((++step & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            if (priority.Distance > _threshold)
            {
                break;
            }

            if (_version[pair.A] != pair.VersionA || _version[pair.B] != pair.VersionB || CannotLink(pair.A, pair.B))
            {
                continue;
            }

            Merge(pair.A, pair.B);
        }
    }

    /// <summary>The group that point <paramref name="i"/> ended in (a point index standing for the group).</summary>
    public int RootOf(int i)
    {
        int root = i;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        while (_parent[i] != root)
        {
            (i, _parent[i]) = (_parent[i], root);
        }

        return root;
    }

    /// <summary>Points in the group whose root is <paramref name="root"/>.</summary>
    public int SizeOf(int root) => _size[root];

    private void Merge(int a, int b)
    {
        int countA = _links[a]?.Count ?? 0, countB = _links[b]?.Count ?? 0;
        (int keep, int gone) = countA > countB || (countA == countB && a < b) ? (a, b) : (b, a);
        Dictionary<int, PairSum> keepLinks = _links[keep] ??= [];
        keepLinks.Remove(gone);
        if (_links[gone] is { } goneLinks)
        {
            foreach ((int other, PairSum sum) in goneLinks)
            {
                if (other == keep)
                {
                    continue;
                }

                Dictionary<int, PairSum> otherLinks = _links[other]!;
                otherLinks.Remove(gone);
                PairSum merged = keepLinks.TryGetValue(other, out PairSum existing) ? existing + sum : sum;
                keepLinks[other] = merged;
                otherLinks[keep] = merged;
            }
        }

        _links[gone] = null;
        _parent[gone] = keep;
        _size[keep] += _size[gone];
        _version[keep]++;
        _version[gone] = -1;
        if (_cannotLink is not null)
        {
            _cannotLink[keep] = Union(_cannotLink[keep], _cannotLink[gone]);
            _cannotLink[gone] = null;
        }

        foreach ((int other, PairSum sum) in keepLinks)
        {
            double pairs = (double)_size[keep] * _size[other];
            double distance = (sum.Total + ((pairs - sum.Count) * _cutoff)) / pairs;
            if (distance <= _threshold)
            {
                (int lo, int hi) = keep < other ? (keep, other) : (other, keep);
                _queue.Enqueue((lo, hi, _version[lo], _version[hi]), (distance, lo, hi));
            }
        }
    }

    private bool CannotLink(int a, int b)
    {
        if (_cannotLink?[a] is not { } setA || _cannotLink[b] is not { } setB)
        {
            return false;
        }

        (HashSet<int> small, HashSet<int> large) = setA.Count <= setB.Count ? (setA, setB) : (setB, setA);
        foreach (int group in small)
        {
            if (large.Contains(group))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<int>? Union(HashSet<int>? a, HashSet<int>? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        (HashSet<int> small, HashSet<int> large) = a.Count <= b.Count ? (a, b) : (b, a);
        large.UnionWith(small);
        return large;
    }
}
