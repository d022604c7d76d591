namespace FaceCluster.Engine.Clustering;

/// <summary>
/// First pass: counts each point's neighbours (per worker, summed at the end) and, while they fit in a
/// budget, keeps the pairs so that the second pass need not compute distances again. A pair is stored in
/// one int: the row's offset in its block (7 bits) and the column index (24 bits), in chunks per row block.
/// </summary>
internal sealed class NeighbourCounter : IPairSink
{
    private const int ColumnBits = 24;
    private const int ColumnMask = (1 << ColumnBits) - 1;

    private readonly int[][] _counts;
    private readonly long _pairBudget;
    private readonly List<(int BlockStart, int[] Packed)> _chunks = [];
    private long _storedPairs;
    private volatile bool _overflow;

    public NeighbourCounter(int count, int workers, long pairBudget)
    {
        _counts = new int[workers][];
        for (int w = 0; w < workers; w++)
        {
            _counts[w] = new int[count];
        }

        // The packing needs row offsets below 128 and column indices below 2^24.
        _pairBudget = count <= ColumnMask && NeighbourScan.BlockSize <= 128 ? pairBudget : 0;
        _overflow = _pairBudget == 0;
    }

    /// <summary>True when every pair of the pass was kept.</summary>
    public bool StoredAll => !_overflow;

    public void Accept(int worker, int blockStart, ReadOnlySpan<int> pairs)
    {
        int[] counts = _counts[worker];
        for (int k = 0; k < pairs.Length; k += 2)
        {
            counts[pairs[k]]++;
            counts[pairs[k + 1]]++;
        }

        if (_overflow)
        {
            return;
        }

        int pairCount = pairs.Length / 2;
        if (Interlocked.Add(ref _storedPairs, pairCount) > _pairBudget)
        {
            _overflow = true;
            lock (_chunks)
            {
                _chunks.Clear();
            }

            return;
        }

        var packed = new int[pairCount];
        for (int k = 0; k < pairCount; k++)
        {
            packed[k] = ((pairs[2 * k] - blockStart) << ColumnBits) | pairs[2 * k + 1];
        }

        lock (_chunks)
        {
            if (!_overflow)
            {
                _chunks.Add((blockStart, packed));
            }
        }
    }

    /// <summary>Neighbours within epsilon of each point, itself included.</summary>
    public int[] NeighbourhoodSizes()
    {
        int[] total = new int[_counts[0].Length];
        Array.Fill(total, 1);
        foreach (int[] c in _counts)
        {
            for (int i = 0; i < total.Length; i++)
            {
                total[i] += c[i];
            }
        }

        return total;
    }

    /// <summary>Replays the kept pairs into <paramref name="sink"/>, in parallel over chunks.</summary>
    public void Replay(IPairSink sink, int workers, CancellationToken ct)
    {
        if (_overflow)
        {
            throw new InvalidOperationException("The pairs did not fit the budget and were not kept.");
        }

        int next = -1;
        var po = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct };
        Parallel.For(0, workers, po, w =>
        {
            var pairs = new IntBuffer(4096);
            int c;
            while ((c = Interlocked.Increment(ref next)) < _chunks.Count)
            {
                ct.ThrowIfCancellationRequested();
                (int blockStart, int[] packed) = _chunks[c];
                pairs.Clear();
                foreach (int p in packed)
                {
                    pairs.Add(blockStart + (p >>> ColumnBits), p & ColumnMask);
                }

                sink.Accept(w, blockStart, pairs.Span);
            }
        });
    }

    /// <summary>Drops the kept pairs.</summary>
    public void Release() => _chunks.Clear();
}
