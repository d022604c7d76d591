using System.Numerics.Tensors;
using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Finds every pair of points within epsilon, exactly, without an N x N matrix: the upper triangle of the
/// Gram matrix is computed tile by tile (<see cref="BlockSize"/> rows against <see cref="BlockSize"/> rows) by
/// <see cref="DotTileKernel"/>, in parallel over row blocks: for cosine with AVX2, exactly in 32-bit integers
/// from 16-bit unit rows (<see cref="QuantizedUnitRows"/>), a pair within that rounding's proven error bound of
/// epsilon being looked at again in float; otherwise in float. A pair whose float distance lies within a
/// margin of epsilon that bounds the float rounding error at this dimension (<see cref="MarginFor"/>) is decided
/// again in double by
/// <see cref="ExactDistance"/>, so the result matches scikit-learn's float64 computation.
/// </summary>
internal sealed class NeighbourScan : IPairSource
{
    /// <summary>Rows per tile side. Below 128 so that a row's offset in its block fits in 7 bits.</summary>
    public const int BlockSize = 96;

    /// <summary>Flush pairs to the sink once a worker holds this many ints.</summary>
    private const int FlushInts = 1 << 20;

    /// <summary>
    /// Twice the float rounding bound: the factor covers the double arithmetic around the float dot product and
    /// the double surrogate's own rounding (both near d 2^-53, far below gamma_d).
    /// </summary>
    private const double MarginSafety = 2;

    private readonly VectorSet _set;
    private readonly double _threshold;

    /// <summary>Margin around the threshold, relative to |a||b| (cosine) or |a|^2+|b|^2 (Euclidean).</summary>
    private readonly double _margin;
    private readonly double[] _scale; // cosine: 1/|v|; Euclidean: |v|^2
    private readonly QuantizedUnitRows? _quantized; // cosine with AVX2: the 16-bit first look

    public NeighbourScan(VectorSet set, double epsilon)
    {
        _set = set;
        _threshold = ExactDistance.Threshold(epsilon, set.Metric);
        _margin = MarginFor(set.Dimension);
        _scale = new double[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            double norm = set.Norms[i];
            _scale[i] = set.Metric == DistanceMetric.Cosine ? 1.0 / norm : norm * norm;
        }

        if (set.Metric == DistanceMetric.Cosine && DotTileKernel.Int16Supported && set.Count > 0)
        {
            _quantized = QuantizedUnitRows.Create(set);
        }
    }

    /// <summary>
    /// The margin for rows of length <paramref name="dimension"/>. The float dot product is off by at most
    /// gamma_d |a||b| (<see cref="DotTileKernel.DotErrorBound"/>). Cosine: 1 - dot / (|a||b|) is then off by at most
    /// gamma_d. Euclidean: |a|^2 + |b|^2 - 2 dot is off by at most 2 gamma_d |a||b| &lt;= gamma_d (|a|^2 + |b|^2).
    /// A pair whose float value lies outside the margin is therefore on the same side of the threshold in double.
    /// </summary>
    public static double MarginFor(int dimension) => MarginSafety * DotTileKernel.DotErrorBound(dimension);

    public int BlockCount => (_set.Count + BlockSize - 1) / BlockSize;

    /// <summary>Tiles in one full pass (the upper triangle, diagonal included).</summary>
    public long TileCount => (long)BlockCount * (BlockCount + 1) / 2;

    public long MaxPairs => (long)_set.Count * (_set.Count - 1) / 2;

    /// <summary>
    /// Runs one pass. <paramref name="tileFilter"/> (row block, column block) may skip tiles known to hold no
    /// pair of interest. <paramref name="tilesDone"/> is told, from the workers, how many tiles each row block
    /// finished (skipped ones included).
    /// </summary>
    public void Run(IPairSink sink, int workers, Func<int, int, bool>? tileFilter, Action<long> tilesDone,
        CancellationToken ct)
    {
        int nb = BlockCount;
        int next = -1;
        var po = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct };
        Parallel.For(0, workers, po, w =>
        {
            var tile = new float[BlockSize * BlockSize];
            int[]? quantizedTile = _quantized is null ? null : new int[BlockSize * BlockSize];
            var pairs = new IntBuffer(4096);
            int rb;
            // Row block 0 has the most tiles: hand them out in order, so the longest go first.
            while ((rb = Interlocked.Increment(ref next)) < nb)
            {
                int blockStart = rb * BlockSize;
                for (int cb = rb; cb < nb; cb++)
                {
                    ct.ThrowIfCancellationRequested();
                    if (tileFilter is null || tileFilter(rb, cb))
                    {
                        if (quantizedTile is null)
                        {
                            ScanTile(rb, cb, tile, pairs);
                        }
                        else
                        {
                            ScanQuantizedTile(rb, cb, quantizedTile, pairs);
                        }
                        if (pairs.Count >= FlushInts)
                        {
                            sink.Accept(w, blockStart, pairs.Span);
                            pairs.Clear();
                        }
                    }
                }

                if (pairs.Count > 0)
                {
                    sink.Accept(w, blockStart, pairs.Span);
                    pairs.Clear();
                }

                tilesDone(nb - rb);
            }
        });
    }

    private void ScanTile(int rb, int cb, float[] tile, IntBuffer pairs)
    {
        int n = _set.Count;
        int i0 = rb * BlockSize, j0 = cb * BlockSize;
        int ni = Math.Min(BlockSize, n - i0), nj = Math.Min(BlockSize, n - j0);
        DotTileKernel.Compute(_set.Rows, i0, ni, _set.Rows, j0, nj, _set.Zero, tile, BlockSize);
        bool cosine = _set.Metric == DistanceMetric.Cosine;
        double thr = _threshold;
        for (int r = 0; r < ni; r++)
        {
            int i = i0 + r;
            double si = _scale[i];
            int cStart = rb == cb ? r + 1 : 0;
            int rowOffset = r * BlockSize;
            for (int c = cStart; c < nj; c++)
            {
                int j = j0 + c;
                double dot = tile[rowOffset + c];
                double sj = _scale[j];
                double value, margin;
                if (cosine)
                {
                    value = 1.0 - dot * si * sj;
                    margin = _margin;
                }
                else
                {
                    value = si + sj - 2.0 * dot;
                    margin = _margin * (si + sj);
                }

                if (value > thr + margin)
                {
                    continue;
                }

                if (value >= thr - margin && _set.Surrogate(i, j) > thr)
                {
                    continue;
                }

                pairs.Add(i, j);
            }
        }
    }

    /// <summary>
    /// Cosine only. Decides each pair from its 16-bit dot product where that is farther from the threshold than
    /// <see cref="QuantizedUnitRows.ErrorBound"/>; a pair inside that band is decided by its float dot product
    /// where that is farther than <see cref="MarginFor"/>, and otherwise in double, as in <see cref="ScanTile"/>.
    /// </summary>
    private void ScanQuantizedTile(int rb, int cb, int[] tile, IntBuffer pairs)
    {
        QuantizedUnitRows q = _quantized!;
        int n = _set.Count;
        int i0 = rb * BlockSize, j0 = cb * BlockSize;
        int ni = Math.Min(BlockSize, n - i0), nj = Math.Min(BlockSize, n - j0);
        DotTileKernel.ComputeInt16(q.Rows, i0, ni, q.Rows, j0, nj, q.Zero, tile, BlockSize);
        double thr = _threshold, band = q.ErrorBound;
        const double InverseScaleSquared = 1.0 / (QuantizedUnitRows.Scale * QuantizedUnitRows.Scale);
        // value = 1 - dot / S^2 is within the band of the threshold iff dot lies between these two integers.
        double farDot = (1.0 - thr - band) / InverseScaleSquared;  // below: farther than the threshold
        double nearDot = (1.0 - thr + band) / InverseScaleSquared; // above: nearer than the threshold
        for (int r = 0; r < ni; r++)
        {
            int i = i0 + r;
            int cStart = rb == cb ? r + 1 : 0;
            int rowOffset = r * BlockSize;
            for (int c = cStart; c < nj; c++)
            {
                int dot = tile[rowOffset + c];
                if (dot < farDot)
                {
                    continue;
                }

                int j = j0 + c;
                if (dot <= nearDot)
                {
                    // Inside the band: the float dot product, then double if that is still too close to call.
                    double value = 1.0 - (TensorPrimitives.Dot(_set.Rows[i], _set.Rows[j]) * _scale[i] * _scale[j]);
                    if (value > thr + _margin || (value >= thr - _margin && _set.Surrogate(i, j) > thr))
                    {
                        continue;
                    }
                }

                pairs.Add(i, j);
            }
        }
    }
}
