using System.Numerics.Tensors;
using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// The approximate neighbour search (issue 22): each point's <see cref="Neighbours"/> nearest other points, in place
/// of the exact scan of all pairs (<see cref="NeighbourScan"/>), whose time grows with the square of the points.
/// Candidates come from an inverted file (<see cref="CellCandidates"/>: the points of a point's nearest cells), the
/// nearest of them are compared exactly, and one round of neighbours' neighbours then finds those the cells missed.
/// Every step runs on all cores and gives the same graph on any number of them.
/// <para>
/// What it may miss: a pair within a threshold that is in neither point's list (the search missed it, or each point
/// has that many nearer neighbours). For average linkage that costs little: two groups of one person are linked by
/// any one close pair of their members, and their distance is computed from all members (<see cref="LinkageGroups"/>).
/// Every pair it does give is decided exactly as the scan decides it (<see cref="ExactDistance"/> near the threshold).
/// </para>
/// </summary>
internal sealed class NeighbourGraph
{
    /// <summary>Neighbours kept per point.</summary>
    public const int Neighbours = 24;

    /// <summary>Candidates per point from <see cref="CellCandidates"/>, compared exactly for the <see cref="Neighbours"/> kept.</summary>
    private const int Candidates = 32;

    private const int RowsPerUnit = NeighbourScan.BlockSize;

    private readonly VectorSet _set;
    private readonly int[] _neighbour; // point i's neighbours: [i * Neighbours, (i + 1) * Neighbours), -1 past the end
    private readonly float[] _distance; // the same slots' cosine distances (float dot product, double arithmetic)
    private readonly double _margin;

    private NeighbourGraph(VectorSet set, int[] neighbour, float[] distance)
    {
        _set = set;
        _neighbour = neighbour;
        _distance = distance;
        _margin = NeighbourScan.MarginFor(set.Dimension) + 1e-6; // float storage of the distance adds up to 2^-24
    }

    /// <summary>Work units of <see cref="Build"/>: each point counts once in each of its four steps.</summary>
    public static long BuildUnits(int count) => 4L * count;

    /// <summary>Builds the graph of cosine <paramref name="set"/>. <paramref name="unitsDone"/> hears <see cref="BuildUnits"/> in all.</summary>
    public static NeighbourGraph Build(VectorSet set, int workers, Action<long> unitsDone, CancellationToken ct)
    {
        if (set.Metric != DistanceMetric.Cosine)
        {
            throw new NotSupportedException("The approximate neighbour search serves the cosine metric only.");
        }

        int n = set.Count;
        int[] candidates = CellCandidates.Find(set, Candidates, workers, unitsDone, ct);
        var neighbour = new int[(long)n * Neighbours];
        var distance = new float[neighbour.Length];
        Array.Fill(neighbour, -1);
        Parallel.For(0, (n + RowsPerUnit - 1) / RowsPerUnit, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, u =>
        {
            for (int i = u * RowsPerUnit, end = Math.Min(n, i + RowsPerUnit); i < end; i++)
            {
                Rescore(set, i, candidates.AsSpan(i * Candidates, Candidates), neighbour, distance);
            }

            unitsDone(Math.Min(n, (u + 1) * RowsPerUnit) - (u * RowsPerUnit));
        });

        neighbour = Refine(set, neighbour, distance, workers, unitsDone, ct);

        // The search leaves its candidate lists, cells and first lists behind (about 0.4 GB at a million points) in
        // the large-object heap, which is collected only with the oldest generation: collected now, their memory
        // serves the clustering that follows instead of adding to the process's peak. One full collection per
        // clustering (docs/benchmarks.md, "Peak memory at a million faces").
        GC.Collect();
        return new NeighbourGraph(set, neighbour, distance);
    }

    /// <summary>
    /// One round of neighbours' neighbours: each point's list is compared with its neighbours' lists and keeps the
    /// <see cref="Neighbours"/> nearest of all. Every point reads the lists as they were before the round, so the
    /// result does not depend on the order the points are done in. The distances are rewritten in place (a point
    /// reads only its own); the lists go to a new array, returned.
    /// </summary>
    private static int[] Refine(VectorSet set, int[] neighbour, float[] distance, int workers,
        Action<long> unitsDone, CancellationToken ct)
    {
        int n = set.Count;
        var next = new int[neighbour.Length];
        Array.Fill(next, -1);
        int blocks = (n + RowsPerUnit - 1) / RowsPerUnit, nextBlock = -1;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, _ =>
        {
            var seen = new int[n];
            Array.Fill(seen, -1);
            var found = new (float Distance, int Point)[Neighbours * (Neighbours + 1)];
            int b;
            while ((b = Interlocked.Increment(ref nextBlock)) < blocks)
            {
                ct.ThrowIfCancellationRequested();
                for (int i = b * RowsPerUnit, end = Math.Min(n, i + RowsPerUnit); i < end; i++)
                {
                    int count = 0;
                    seen[i] = i;
                    for (int s = i * Neighbours, stop = s + Neighbours; s < stop && neighbour[s] >= 0; s++)
                    {
                        seen[neighbour[s]] = i;
                        found[count++] = (distance[s], neighbour[s]);
                    }

                    double scaleI = 1.0 / set.Norms[i];
                    for (int s = i * Neighbours, stop = s + Neighbours; s < stop && neighbour[s] >= 0; s++)
                    {
                        int j = neighbour[s];
                        for (int t = j * Neighbours, tstop = t + Neighbours; t < tstop && neighbour[t] >= 0; t++)
                        {
                            int k = neighbour[t];
                            if (seen[k] != i)
                            {
                                seen[k] = i;
                                double dot = TensorPrimitives.Dot(set.Rows[i], set.Rows[k]) * scaleI / set.Norms[k];
                                found[count++] = ((float)(1.0 - dot), k);
                            }
                        }
                    }

                    Span<(float Distance, int Point)> all = found.AsSpan(0, count);
                    all.Sort();
                    for (int k = 0, start = i * Neighbours; k < Math.Min(count, Neighbours); k++)
                    {
                        next[start + k] = all[k].Point;
                        distance[start + k] = all[k].Distance;
                    }
                }

                unitsDone(Math.Min(n, (b + 1) * RowsPerUnit) - (b * RowsPerUnit));
            }
        });

        return next;
    }

    /// <summary>Point <paramref name="i"/>'s neighbours, nearest first (exact cosine distance), and their distances.</summary>
    public (ReadOnlyMemory<int> Points, ReadOnlyMemory<float> Distances) Of(int i)
    {
        int start = i * Neighbours, count = 0;
        while (count < Neighbours && _neighbour[start + count] >= 0)
        {
            count++;
        }

        return (_neighbour.AsMemory(start, count), _distance.AsMemory(start, count));
    }

    /// <summary>The graph's pairs within <paramref name="epsilon"/>, each once, decided as <see cref="NeighbourScan"/> decides.</summary>
    public IPairSource Within(double epsilon) => new Pairs(this, ExactDistance.Threshold(epsilon, _set.Metric));

    /// <summary>Whether j is among i's neighbours.</summary>
    private bool Lists(int i, int j)
    {
        for (int s = i * Neighbours, end = s + Neighbours; s < end && _neighbour[s] >= 0; s++)
        {
            if (_neighbour[s] == j)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Keeps the <see cref="Neighbours"/> nearest of <paramref name="candidates"/>, nearest first by exact distance.</summary>
    private static void Rescore(VectorSet set, int i, ReadOnlySpan<int> candidates, int[] neighbour, float[] distance)
    {
        Span<(float Distance, int Point)> found = stackalloc (float, int)[candidates.Length];
        int count = 0;
        double scaleI = 1.0 / set.Norms[i];
        foreach (int j in candidates)
        {
            if (j >= 0)
            {
                double dot = TensorPrimitives.Dot(set.Rows[i], set.Rows[j]) * scaleI / set.Norms[j];
                found[count++] = ((float)(1.0 - dot), j);
            }
        }

        found[..count].Sort();
        int start = i * Neighbours;
        for (int k = 0; k < Math.Min(count, Neighbours); k++)
        {
            neighbour[start + k] = found[k].Point;
            distance[start + k] = found[k].Distance;
        }
    }

    /// <summary>
    /// The pairs within one threshold, each once as (i, j), i &lt; j, listed under i (compressed rows), so that a row
    /// block's pairs all start in that block, as <see cref="IPairSink"/> expects.
    /// </summary>
    private sealed class Pairs : IPairSource
    {
        private readonly int _count;
        private readonly int[] _start; // row i: _other[_start[i].._start[i + 1]]
        private readonly int[] _other;

        public Pairs(NeighbourGraph graph, double threshold)
        {
            VectorSet set = graph._set;
            _count = set.Count;
            bool Within(int s, int i) => graph._distance[s] <= threshold + graph._margin
                && (graph._distance[s] < threshold - graph._margin || set.Surrogate(i, graph._neighbour[s]) <= threshold);

            // Each point's list, nearest first, holds j once; a pair listed by both points is kept under the lower one
            // only when the lower one lists it, so it is counted once: kept by i when i < j, or when j does not list i.
            var keep = new bool[graph._neighbour.Length];
            Parallel.For(0, _count, i =>
            {
                for (int s = i * Neighbours, stop = s + Neighbours; s < stop && graph._neighbour[s] >= 0; s++)
                {
                    int j = graph._neighbour[s];
                    keep[s] = Within(s, i) && (i < j || !graph.Lists(j, i));
                }
            });

            _start = new int[_count + 1];
            for (int s = 0; s < keep.Length; s++)
            {
                if (keep[s])
                {
                    _start[Math.Min(s / Neighbours, graph._neighbour[s]) + 1]++;
                }
            }

            for (int i = 0; i < _count; i++)
            {
                _start[i + 1] += _start[i];
            }

            _other = new int[_start[_count]];
            var fill = (int[])_start.Clone();
            for (int s = 0; s < keep.Length; s++)
            {
                if (keep[s])
                {
                    int i = s / Neighbours, j = graph._neighbour[s];
                    _other[fill[Math.Min(i, j)]++] = Math.Max(i, j);
                }
            }
        }

        private int Blocks => (_count + NeighbourScan.BlockSize - 1) / NeighbourScan.BlockSize;

        public long TileCount => Blocks;

        public long MaxPairs => _other.Length;

        public void Run(IPairSink sink, int workers, Func<int, int, bool>? tileFilter, Action<long> tilesDone, CancellationToken ct)
        {
            int next = -1;
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, w =>
            {
                var pairs = new IntBuffer(4096);
                int block;
                while ((block = Interlocked.Increment(ref next)) < Blocks)
                {
                    ct.ThrowIfCancellationRequested();
                    int start = block * NeighbourScan.BlockSize;
                    for (int i = start, end = Math.Min(_count, start + NeighbourScan.BlockSize); i < end; i++)
                    {
                        for (int k = _start[i]; k < _start[i + 1]; k++)
                        {
                            pairs.Add(i, _other[k]);
                        }
                    }

                    if (pairs.Count > 0)
                    {
                        sink.Accept(w, start, pairs.Span);
                        pairs.Clear();
                    }

                    tilesDone(1);
                }
            });
        }
    }
}
