namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Collects, from one <see cref="NeighbourScan"/> pass, the pairs of groups that have two members within a horizon,
/// holding at most about <see cref="AverageLinkageOptions.PairBudget"/> of them at once.
/// <para>
/// Each pair of points (i, j) found by the scan is turned into the pair of their groups (as they were when the pass
/// began); a pair inside one group is dropped. Duplicates keep the smallest point distance. When the buffer is
/// full, duplicates are removed, and if it is still more than half full the horizon is lowered so that about half
/// the budget stays: every pair farther apart than the new horizon is dropped, now and later in the pass. So at the
/// end the buffer holds exactly the group pairs with a member pair within <see cref="Horizon"/>, and that is every
/// pair of groups that can be within <see cref="Horizon"/> on average (a mean is never below the minimum).
/// </para>
/// <para>
/// The horizon never drops to <c>floor</c> (the previous pass's horizon) or below: pairs that near were already
/// looked at, and dropping them would stop the next pass from getting further. If they alone fill more than a
/// quarter of the budget, or one step of the horizon holds too many pairs, the budget grows instead
/// (<see cref="Grown"/>). So every pass reaches at least one more pair than the last, and about a quarter of the
/// budget more when there are that many.
/// </para>
/// <para>
/// The workers hand pairs over in whatever order the threads run, so the pairs held when the buffer fills, and the
/// horizons lowered to then, vary from run to run. The pass's result does not: horizons are edges of one histogram
/// fixed for the pass (floor, or 0 on a first pass, up to the threshold), and once the buffer has had to make room,
/// <see cref="Finish"/> lowers the horizon to the highest edge at which the pairs of the whole pass fit in half the
/// room the pass started with (the first edge holding a pair at the least; the room is the budget, or four times the
/// pairs carried from the last pass if that is more). Every lowering on the way kept at least that edge (it saw a
/// subset of those pairs, each at no smaller distance), so that edge and its pairs are the same in every run.
/// </para>
/// </summary>
internal sealed class GroupPairBuffer : IPairSink
{
    private const int HistogramBins = 4096;

    private readonly LinkageGroups _groups;
    private readonly int[] _groupOf;
    private readonly double _floor;
    private readonly double _low;  // the histogram's fixed range: (low, top]
    private readonly double _top;
    private readonly int _keep;    // half the room at the start: what Finish lowers the horizon to fit
    private bool _madeRoom;
    private readonly bool[]? _excluded;
    private readonly object _gate = new();
    private readonly List<(int A, int B, double Distance)>[] _staging;
    private long[] _keys;
    private float[] _distances;
    private int _count;
    private double _horizon;

    /// <param name="groups">The groups; read only while the scan runs.</param>
    /// <param name="horizon">The largest distance of interest (the clustering threshold).</param>
    /// <param name="floor">The previous pass's horizon (negative infinity on the first pass).</param>
    /// <param name="budget">How many group pairs to hold at most (unless <see cref="Grown"/>).</param>
    /// <param name="maxPairs">At most how many point pairs the scan hands over.</param>
    /// <param name="workers">Scan workers.</param>
    /// <param name="excluded">Points whose pairs are dropped (null: none).</param>
    /// <param name="carried">The group pairs at or below the floor (<see cref="Carried"/> of the previous pass): every
    /// horizon keeps them, so half the room goes to twice as many, as growing would give (see the class summary).</param>
    public GroupPairBuffer(LinkageGroups groups, double horizon, double floor, int budget, long maxPairs, int workers,
        bool[]? excluded = null, int carried = 0)
    {
        _excluded = excluded;
        _groups = groups;
        _groupOf = new int[groups.Count];
        for (int i = 0; i < _groupOf.Length; i++)
        {
            _groupOf[i] = groups.RootOf(i);
        }

        _horizon = horizon;
        _floor = floor;
        _low = double.IsNegativeInfinity(floor) ? 0 : floor;
        _top = horizon;
        // The budget, or room for every pair when there are fewer (so a small input allocates little, and a large one
        // does not pay for growing the buffer: growing would briefly hold two copies).
        long everyPair = (long)groups.Count * (groups.Count - 1) / 2;
        int room = (int)Math.Max(16, Math.Min(budget, everyPair));
        _keep = (int)Math.Min(int.MaxValue / 2, Math.Max(room / 2, 2L * carried));
        Grown = 2 * _keep > room;
        room = Math.Max(room, 2 * _keep);
        // Never more than the scan can hand over (the approximate neighbours' few pairs): a buffer that holds them all
        // never has to make room, so it ends with the same pairs and horizon as a larger one would.
        int capacity = (int)Math.Max(16, Math.Min(room, maxPairs));
        _keys = new long[capacity];
        _distances = new float[capacity];
        _staging = Enumerable.Range(0, workers).Select(_ => new List<(int, int, double)>()).ToArray();
    }

    /// <summary>The horizon the pass ended with: every group pair with a member pair this near is held.</summary>
    public double Horizon => Volatile.Read(ref _horizon);

    /// <summary>True when the buffer had to grow past the budget (see the class summary).</summary>
    public bool Grown { get; private set; }

    public void Accept(int worker, int blockStart, ReadOnlySpan<int> pairs)
    {
        List<(int A, int B, double Distance)> staged = _staging[worker];
        staged.Clear();
        double horizon = Horizon;
        for (int k = 0; k + 1 < pairs.Length; k += 2)
        {
            int a = _groupOf[pairs[k]], b = _groupOf[pairs[k + 1]];
            if (a == b || (_excluded is not null && (_excluded[pairs[k]] || _excluded[pairs[k + 1]])))
            {
                continue;
            }

            double distance = _groups.PointDistance(pairs[k], pairs[k + 1]);
            if (distance <= horizon)
            {
                staged.Add(a < b ? (a, b, distance) : (b, a, distance));
            }
        }

        if (staged.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach ((int a, int b, double distance) in staged)
            {
                if (distance > _horizon)
                {
                    continue;
                }

                if (_count == _keys.Length)
                {
                    MakeRoom();
                    if (distance > _horizon)
                    {
                        continue;
                    }
                }

                _keys[_count] = ((long)a << 32) | (uint)b;
                // Stored rounded up to a float: a lowered horizon is a float, and then stored <= horizon exactly when
                // distance <= horizon, so no pair at the horizon is lost to rounding.
                _distances[_count] = RoundUp(distance);
                _count++;
            }
        }
    }

    /// <summary>
    /// The pairs held, each once, sorted by (A, B), and the horizon they are complete up to: the same whatever order the
    /// pairs came in (see the class summary).
    /// </summary>
    public (long[] Keys, int Count, double Horizon) Finish()
    {
        Deduplicate();
        if (_madeRoom)
        {
            LowerHorizon(_keep);
        }

        return (_keys, _count, _horizon);
    }

    /// <summary>
    /// The distinct pairs of groups, as they are now, that <paramref name="count"/> keys of <see cref="Finish"/> name
    /// (pairs inside one group dropped): the next pass's pairs at or below its floor. Rewrites the keys.
    /// </summary>
    public static int Carried(LinkageGroups groups, long[] keys, int count)
    {
        int kept = 0;
        for (int k = 0; k < count; k++)
        {
            (int a, int b) = Split(keys[k]);
            (a, b) = (groups.RootOf(a), groups.RootOf(b));
            if (a != b)
            {
                keys[kept++] = ((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b);
            }
        }

        Array.Sort(keys, 0, kept);
        int distinct = 0;
        for (int k = 0; k < kept; k++)
        {
            distinct += k == 0 || keys[k] != keys[k - 1] ? 1 : 0;
        }

        return distinct;
    }

    /// <summary>The group pair (A &lt; B) of a key from <see cref="Finish"/>.</summary>
    public static (int A, int B) Split(long key) => ((int)(key >> 32), (int)(uint)key);

    private void MakeRoom()
    {
        _madeRoom = true;
        Deduplicate();
        if (_count <= _keys.Length / 2)
        {
            return;
        }

        // Pairs at or below the floor must stay, and must leave room for new ones, or passes would crawl.
        int atOrBelowFloor = 0;
        for (int k = 0; k < _count; k++)
        {
            atOrBelowFloor += _distances[k] <= _floor ? 1 : 0;
        }

        if (atOrBelowFloor > _keys.Length / 4)
        {
            Grown = true;
            Resize(4 * atOrBelowFloor);
        }

        LowerHorizon(_keys.Length / 2);
        if (_count > _keys.Length * 3 / 4)
        {
            Grown = true;
            Resize(_keys.Length + (_keys.Length / 2));
        }
    }

    private void Resize(int capacity)
    {
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _distances, capacity);
    }

    private void Deduplicate()
    {
        Array.Sort(_keys, _distances, 0, _count);
        int kept = 0;
        for (int k = 0; k < _count; k++)
        {
            if (kept > 0 && _keys[kept - 1] == _keys[k])
            {
                _distances[kept - 1] = Math.Min(_distances[kept - 1], _distances[k]);
                continue;
            }

            _keys[kept] = _keys[k];
            _distances[kept] = _distances[k];
            kept++;
        }

        _count = kept;
    }

    /// <summary>
    /// Lowers the horizon to the highest edge of a bin of the pass's histogram (<see cref="_low"/>..<see cref="_top"/>)
    /// that keeps at most <paramref name="keep"/> pairs, but not below the first bin that holds a pair; drops the pairs
    /// beyond it.
    /// </summary>
    private void LowerHorizon(int keep)
    {
        double low = _low;
        double width = (_top - low) / HistogramBins;
        if (!(width > 0))
        {
            return;
        }

        var bins = new int[HistogramBins + 1];
        int atOrBelowLow = 0;
        for (int k = 0; k < _count; k++)
        {
            double d = _distances[k];
            if (d <= low)
            {
                atOrBelowLow++;
                continue;
            }

            bins[Math.Min(HistogramBins, (int)Math.Ceiling((d - low) / width))]++;
        }

        // Bin b holds (low + (b - 1) width, low + b width]; bin 0 is unused. The first bin with a pair is always kept.
        int total = atOrBelowLow, bin = 0;
        do
        {
            total += bins[++bin];
        }
        while (bin < HistogramBins && bins[bin] == 0);

        while (bin < HistogramBins && total + bins[bin + 1] <= keep)
        {
            bin++;
            total += bins[bin];
        }

        double horizon = Math.Max(RoundUp(low + (bin * width)), MathF.BitIncrement(RoundUp(low)));
        if (horizon >= _horizon)
        {
            return;
        }

        int kept = 0;
        for (int k = 0; k < _count; k++)
        {
            if (_distances[k] <= horizon)
            {
                _keys[kept] = _keys[k];
                _distances[kept] = _distances[k];
                kept++;
            }
        }

        _count = kept;
        Volatile.Write(ref _horizon, horizon);
    }

    private static float RoundUp(double value)
    {
        float f = (float)value;
        return f < value ? MathF.BitIncrement(f) : f;
    }
}
