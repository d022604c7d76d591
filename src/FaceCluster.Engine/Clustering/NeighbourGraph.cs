using System.Numerics.Tensors;
using Cloud.Unum.USearch;
using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// The approximate neighbour search (issue 22): each point's <see cref="Neighbours"/> nearest other points, found
/// with an HNSW index (USearch, cosine, on half-precision copies of the vectors: 1 KB a face at 512 dimensions, held
/// only while the graph is built) and re-scored exactly, in place of the
/// exact scan of all pairs (<see cref="NeighbourScan"/>), whose time grows with the square of the points.
/// <para>
/// What it may miss: a pair within a threshold that is in neither point's list (the index missed it, or each point
/// has that many nearer neighbours). For average linkage that costs little: two groups of one person are linked by
/// any one close pair of their members, and their distance is computed from all members (<see cref="LinkageGroups"/>).
/// Every pair it does give is decided exactly as the scan decides it (<see cref="ExactDistance"/> near the threshold).
/// </para>
/// </summary>
internal sealed class NeighbourGraph
{
    /// <summary>Neighbours kept per point.</summary>
    public const int Neighbours = 24;

    private const ulong Connectivity = 16;
    private const ulong ExpansionAdd = 64;
    private const ulong ExpansionSearch = 64;
    private const int RowsPerUnit = NeighbourScan.BlockSize;

    /// <summary>Faces added per call: the binding grows the index by each call's count, copying it, so few large calls.</summary>
    private const int AddBatch = 8192;

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

    /// <summary>Work units of <see cref="Build"/>: <see cref="AddBatch"/> rows added count as many as they are blocks, and one per block searched.</summary>
    public static long BuildUnits(int count) => 2L * ((count + RowsPerUnit - 1) / RowsPerUnit);

    /// <summary>
    /// Whether the index's native library loads here (USearch ships it for linux-x64, win-x64 and osx-arm64); the
    /// reason when it does not.
    /// </summary>
    public static bool IsAvailable(out string? reason)
    {
        try
        {
            using var probe = new USearchIndex(MetricKind.Cos, ScalarKind.Float16, 4);
            probe.Add(0, new float[] { 1, 0, 0, 0 });
            reason = null;
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException or USearchException)
        {
            reason = $"the approximate index (USearch) does not load on this platform: {ex.Message}";
            return false;
        }
    }

    /// <summary>Builds the graph of cosine <paramref name="set"/>. <paramref name="unitsDone"/> hears <see cref="BuildUnits"/> in all.</summary>
    public static NeighbourGraph Build(VectorSet set, int workers, Action<long> unitsDone, CancellationToken ct)
    {
        if (set.Metric != DistanceMetric.Cosine)
        {
            throw new NotSupportedException("The approximate neighbour search serves the cosine metric only.");
        }

        int n = set.Count;
        var neighbour = new int[(long)n * Neighbours];
        var distance = new float[neighbour.Length];
        Array.Fill(neighbour, -1);
        var po = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct };
        int units = (n + RowsPerUnit - 1) / RowsPerUnit;
        using (var index = new USearchIndex(MetricKind.Cos, ScalarKind.Float16, (ulong)set.Dimension, Connectivity, ExpansionAdd, ExpansionSearch))
        {
            // Added one by one, in order: HNSW built from several threads at once depends on their timing, and the
            // clustering must not (the same faces give the same people). The searches only read, in parallel.
            for (int start = 0; start < n; start += AddBatch)
            {
                ct.ThrowIfCancellationRequested();
                int end = Math.Min(n, start + AddBatch);
                index.Add(Enumerable.Range(start, end - start).Select(i => (ulong)i).ToArray(), set.Rows[start..end]);
                unitsDone(((end + RowsPerUnit - 1) / RowsPerUnit) - ((start + RowsPerUnit - 1) / RowsPerUnit));
            }

            Parallel.For(0, units, po, u =>
            {
                for (int i = u * RowsPerUnit, end = Math.Min(n, i + RowsPerUnit); i < end; i++)
                {
                    // One more than kept: the point itself is usually its own nearest.
                    index.Search(set.Rows[i], Neighbours + 1, out ulong[] keys, out _);
                    Rescore(set, i, keys, neighbour, distance);
                }

                unitsDone(1);
            });
        }

        return new NeighbourGraph(set, neighbour, distance);
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

    /// <summary>Keeps the other points among <paramref name="keys"/>, nearest first by exact distance.</summary>
    private static void Rescore(VectorSet set, int i, ulong[] keys, int[] neighbour, float[] distance)
    {
        Span<(float Distance, int Point)> found = stackalloc (float, int)[keys.Length];
        int count = 0;
        double scaleI = 1.0 / set.Norms[i];
        foreach (ulong key in keys)
        {
            int j = (int)key;
            if (j != i && count < Neighbours)
            {
                double dot = TensorPrimitives.Dot(set.Rows[i], set.Rows[j]) * scaleI / set.Norms[j];
                found[count++] = ((float)(1.0 - dot), j);
            }
        }

        found[..count].Sort();
        int start = i * Neighbours;
        for (int k = 0; k < count; k++)
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
