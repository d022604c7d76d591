using System.Numerics.Tensors;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Candidate nearest neighbours for <see cref="NeighbourGraph"/> (issue 22) from an inverted file: the unit vectors are
/// split into cells by k-means (centroids trained on an even sample), each point lies in the cell of its nearest
/// centroid and looks for its neighbours among the members of its <see cref="Probes"/> nearest cells, every pair
/// compared exactly in blocks (<see cref="DotTileKernel.ComputeInt16"/> on 16-bit copies made a cell at a time, so no
/// copy of all the vectors is held). A pair found so is offered to both points. Each point keeps the
/// candidates of largest 16-bit dot product (ties: the lower index), a set that does not
/// depend on the order in which cells are done, so the work runs on every core and the same points always give the
/// same candidates. Hand-written: no NuGet library offers a deterministic, parallel inverted file over these rows.
/// </summary>
internal static class CellCandidates
{
    /// <summary>Cells each point searches.</summary>
    public const int Probes = 10;

    /// <summary>Cells: the root of this times the points (1,732 cells of about 577 points at a million).</summary>
    private const double CellFactor = 3;

    /// <summary>Sample points per cell for training the centroids.</summary>
    private const int SamplePerCell = 32;

    /// <summary>k-means rounds on the sample.</summary>
    private const int Rounds = 6;

    private const int B = NeighbourScan.BlockSize;

    /// <summary>
    /// Per point i, up to <paramref name="keep"/> candidate neighbours (not i) at [i * keep, (i + 1) * keep), -1 past
    /// the end. <paramref name="pointsDone"/> hears 2 x the point count in all.
    /// </summary>
    public static int[] Find(VectorSet set, int keep, int workers, Action<long> pointsDone, CancellationToken ct)
    {
        int n = set.Count;
        int padded = (set.Dimension + 15) / 16 * 16;
        var po = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct };
        int cellCount = Math.Clamp((int)Math.Sqrt((double)n * CellFactor), 1, n);
        short[][] centroids = Train(set, cellCount, padded, po);
        int probes = Math.Min(Probes, cellCount);
        int[] probe = NearestCentroids(set, Enumerable.Range(0, n).ToArray(), centroids, probes, padded, po, pointsDone);

        // Members: the points whose nearest centroid is the cell's; queries: the points that search the cell.
        int[][] members = Group(n, cellCount, 1, (i, _) => probe[i * probes]);
        int[][] queries = Group(n, cellCount, probes, (i, p) => probe[(i * probes) + p]);
        var lists = new TopList(n, keep);
        int[] order = Enumerable.Range(0, cellCount).OrderByDescending(c => (long)members[c].Length * queries[c].Length).ToArray();
        int next = -1;
        Parallel.For(0, workers, po, _ =>
        {
            var scratch = new CellScratch(padded, keep);
            int k;
            while ((k = Interlocked.Increment(ref next)) < order.Length)
            {
                ct.ThrowIfCancellationRequested();
                SearchCell(set, members[order[k]], queries[order[k]], lists, scratch);
                pointsDone(members[order[k]].Length);
            }
        });

        return lists.Points;
    }

    /// <summary>Every pair of (query, member) of one cell, offered to both points' lists.</summary>
    private static void SearchCell(VectorSet set, int[] member, int[] query, TopList lists, CellScratch scratch)
    {
        if (member.Length == 0 || query.Length == 0)
        {
            return;
        }

        short[][] m = scratch.Members(set, member);
        short[][] q = scratch.Queries(set, query);
        TopList memberLists = scratch.MemberLists(member.Length);
        TopList queryLists = scratch.QueryLists;
        int[] tile = scratch.Tile;
        short[] zero = scratch.Zero;
        for (int q0 = 0; q0 < query.Length; q0 += B)
        {
            int nq = Math.Min(B, query.Length - q0);
            queryLists.Clear();
            for (int m0 = 0; m0 < member.Length; m0 += B)
            {
                int nm = Math.Min(B, member.Length - m0);
                DotTileKernel.ComputeInt16(q, q0, nq, m, m0, nm, zero, tile, B);
                for (int r = 0; r < nq; r++)
                {
                    int i = query[q0 + r];
                    for (int c = 0; c < nm; c++)
                    {
                        int j = member[m0 + c], dot = tile[(r * B) + c];
                        if (i != j)
                        {
                            queryLists.Offer(r, dot, j);
                            memberLists.Offer(m0 + c, dot, i);
                        }
                    }
                }
            }

            for (int r = 0; r < nq; r++)
            {
                lists.MergeLocked(query[q0 + r], queryLists, r);
            }
        }

        for (int c = 0; c < member.Length; c++)
        {
            lists.MergeLocked(member[c], memberLists, c);
        }
    }

    /// <summary>k-means on every k-th point: centroids start at evenly spaced sample points; unit length, 16-bit.</summary>
    private static short[][] Train(VectorSet set, int cellCount, int padded, ParallelOptions po)
    {
        int stride = Math.Max(1, set.Count / (cellCount * SamplePerCell));
        int[] sample = Enumerable.Range(0, (set.Count + stride - 1) / stride).Select(k => k * stride).ToArray();
        var centroid = new float[cellCount][];
        for (int c = 0; c < cellCount; c++)
        {
            int i = sample[(int)((long)c * sample.Length / cellCount)];
            centroid[c] = new float[set.Dimension];
            TensorPrimitives.Multiply(set.Rows[i], (float)(1.0 / set.Norms[i]), centroid[c]);
        }

        for (int round = 0; round < Rounds; round++)
        {
            int[] nearest = NearestCentroids(set, sample, QuantizeUnit(centroid, padded), 1, padded, po, _ => { });
            var sum = new float[cellCount][];
            for (int k = 0; k < sample.Length; k++)
            {
                int i = sample[k];
                float[] s = sum[nearest[k]] ??= new float[set.Dimension];
                TensorPrimitives.MultiplyAdd(set.Rows[i], (float)(1.0 / set.Norms[i]), s, s);
            }

            for (int c = 0; c < cellCount; c++)
            {
                if (sum[c] is { } s && TensorPrimitives.Norm(s) is > 0 and var norm)
                {
                    TensorPrimitives.Divide(s, norm, s);
                    centroid[c] = s;
                }
            }
        }

        return QuantizeUnit(centroid, padded);
    }

    /// <summary>Per point of <paramref name="points"/>, its <paramref name="count"/> nearest centroids, nearest first.</summary>
    private static int[] NearestCentroids(VectorSet set, int[] points, short[][] centroids, int count, int padded, ParallelOptions po,
        Action<long> pointsDone)
    {
        var result = new int[points.Length * count];
        int blocks = (points.Length + B - 1) / B;
        Parallel.For(0, blocks, po, () => (Tile: new int[B * B], Top: new TopList(B, count), Zero: new short[padded], Rows: new short[B][]), (b, _, local) =>
        {
            int p0 = b * B, np = Math.Min(B, points.Length - p0);
            short[][] rows = Quantize(set, points.AsSpan(p0, np), local.Rows, padded);
            local.Top.Clear();
            for (int c0 = 0; c0 < centroids.Length; c0 += B)
            {
                int nc = Math.Min(B, centroids.Length - c0);
                DotTileKernel.ComputeInt16(rows, 0, np, centroids, c0, nc, local.Zero, local.Tile, B);
                for (int r = 0; r < np; r++)
                {
                    for (int c = 0; c < nc; c++)
                    {
                        local.Top.Offer(r, local.Tile[(r * B) + c], c0 + c);
                    }
                }
            }

            for (int r = 0; r < np; r++)
            {
                local.Top.Points.AsSpan(r * count, count).CopyTo(result.AsSpan((p0 + r) * count, count));
            }

            pointsDone(np);
            return local;
        }, _ => { });
        return result;
    }

    /// <summary>The points of each cell, in increasing order: point i is in cells cellOf(i, 0 .. per - 1).</summary>
    private static int[][] Group(int n, int cellCount, int per, Func<int, int, int> of)
    {
        var size = new int[cellCount];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < per; p++)
            {
                size[of(i, p)]++;
            }
        }

        var cells = size.Select(s => new int[s]).ToArray();
        Array.Clear(size);
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < per; p++)
            {
                int c = of(i, p);
                cells[c][size[c]++] = i;
            }
        }

        return cells;
    }

    /// <summary>The points' 16-bit unit rows, written into <paramref name="rows"/> (its first rows, allocated where missing).</summary>
    private static short[][] Quantize(VectorSet set, ReadOnlySpan<int> points, short[][] rows, int padded)
    {
        for (int k = 0; k < points.Length; k++)
        {
            QuantizedUnitRows.Quantize(set.Rows[points[k]], set.Norms[points[k]], rows[k] ??= new short[padded]);
        }

        return rows;
    }

    private static short[][] QuantizeUnit(float[][] unit, int padded) =>
        unit.Select(v => QuantizedUnitRows.Quantize(v, 1.0, padded)).ToArray();

    /// <summary>
    /// One worker's buffers for <see cref="SearchCell"/>, reused from cell to cell and grown to the largest cell, so
    /// that searching a million points does not leave a gigabyte of short-lived copies to the garbage collector.
    /// </summary>
    private sealed class CellScratch(int padded, int keep)
    {
        private short[][] _members = [];
        private short[][] _queries = [];
        private TopList _memberLists = new(0, keep);

        public int[] Tile { get; } = new int[B * B];

        public short[] Zero { get; } = new short[padded];

        public TopList QueryLists { get; } = new(B, keep);

        public short[][] Members(VectorSet set, int[] points) => Quantize(set, points, Grow(ref _members, points.Length), padded);

        public short[][] Queries(VectorSet set, int[] points) => Quantize(set, points, Grow(ref _queries, points.Length), padded);

        /// <summary>Empty lists for the first <paramref name="slots"/> slots.</summary>
        public TopList MemberLists(int slots)
        {
            if (_memberLists.Slots < slots)
            {
                _memberLists = new TopList(slots, keep);
            }
            else
            {
                _memberLists.Clear(slots);
            }

            return _memberLists;
        }

        private static short[][] Grow(ref short[][] rows, int count)
        {
            if (rows.Length < count)
            {
                Array.Resize(ref rows, count);
            }

            return rows;
        }
    }

    /// <summary>
    /// Per slot, up to <see cref="Keep"/> points of largest dot product, largest first (ties: the lower point), each
    /// point at most once: the same set whatever order the offers come in.
    /// </summary>
    private sealed class TopList
    {
        private readonly int[] _dots;
        private readonly int[] _counts;
        private readonly object[] _locks;

        public TopList(int slots, int keep)
        {
            Keep = keep;
            Points = new int[slots * keep];
            _dots = new int[slots * keep];
            _counts = new int[slots];
            _locks = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();
            Array.Fill(Points, -1);
        }

        public int Keep { get; }

        /// <summary>Slot s's points at [s * Keep, (s + 1) * Keep), -1 past the end.</summary>
        public int[] Points { get; }

        /// <summary>How many slots it holds.</summary>
        public int Slots => _counts.Length;

        public void Clear() => Clear(Slots);

        /// <summary>Empties the first <paramref name="slots"/> slots.</summary>
        public void Clear(int slots)
        {
            Array.Fill(Points, -1, 0, slots * Keep);
            Array.Clear(_counts, 0, slots);
        }

        public void Offer(int slot, int dot, int point)
        {
            int start = slot * Keep, count = _counts[slot];
            if (count == Keep && !Before(dot, point, _dots[start + count - 1], Points[start + count - 1]))
            {
                return;
            }

            int at = count;
            while (at > 0 && Before(dot, point, _dots[start + at - 1], Points[start + at - 1]))
            {
                at--;
            }

            // Already held: the same pair gives the same dot product, so it sits just before the place found.
            if (at > 0 && Points[start + at - 1] == point)
            {
                return;
            }

            int last = Math.Min(count, Keep - 1);
            Array.Copy(Points, start + at, Points, start + at + 1, last - at);
            Array.Copy(_dots, start + at, _dots, start + at + 1, last - at);
            Points[start + at] = point;
            _dots[start + at] = dot;
            _counts[slot] = Math.Min(count + 1, Keep);
        }

        /// <summary>Offers slot <paramref name="from"/> of <paramref name="other"/> to slot <paramref name="slot"/>, under a lock.</summary>
        public void MergeLocked(int slot, TopList other, int from)
        {
            int start = from * other.Keep;
            lock (_locks[slot % _locks.Length])
            {
                for (int k = 0; k < other._counts[from]; k++)
                {
                    Offer(slot, other._dots[start + k], other.Points[start + k]);
                }
            }
        }

        private static bool Before(int dot, int point, int otherDot, int otherPoint) =>
            dot > otherDot || (dot == otherDot && point < otherPoint);
    }
}
