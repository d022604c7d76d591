namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Each row scaled to unit length and rounded to 16-bit integers (times <see cref="Scale"/>), zero-padded to a
/// multiple of 16 values, for <see cref="DotTileKernel.ComputeInt16"/>: a cheap first look at cosine similarity
/// with a proven error bound, so that only pairs near the threshold need the float and double checks.
/// <para>
/// Bound: with q = Scale * u + e (u the unit row, e the rounding error, |e_k| &lt;= 1/2), q_i . q_j / Scale^2
/// differs from u_i . u_j by at most (|e_i| + |e_j|) / Scale + |e_i| |e_j| / Scale^2 (Cauchy-Schwarz, |u| = 1);
/// <see cref="ErrorBound"/> is that with the largest |e| of all rows. No 32-bit sum can overflow: every partial
/// dot product is at most |q_i| |q_j|, about Scale^2 = 2^24.
/// </para>
/// </summary>
internal sealed class QuantizedUnitRows
{
    /// <summary>2^12: large enough for a bound of a few thousandths, small enough that sums stay far below 2^31.</summary>
    public const double Scale = 4096;

    private QuantizedUnitRows(short[][] rows, short[] zero, double errorBound)
    {
        Rows = rows;
        Zero = zero;
        ErrorBound = errorBound;
    }

    public short[][] Rows { get; }

    /// <summary>A zero row of the padded length.</summary>
    public short[] Zero { get; }

    /// <summary>Largest possible |q_i . q_j / Scale^2 - cos(v_i, v_j)| over all pairs.</summary>
    public double ErrorBound { get; }

    /// <summary><paramref name="v"/> / <paramref name="norm"/> times <see cref="Scale"/>, rounded, zero-padded to <paramref name="padded"/> values (no error bound kept).</summary>
    public static short[] Quantize(float[] v, double norm, int padded) => Quantize(v, norm, new short[padded]);

    /// <summary>The same, written into <paramref name="q"/>, whose values past <paramref name="v"/>'s length must be zero.</summary>
    public static short[] Quantize(float[] v, double norm, short[] q)
    {
        double inverseNorm = Scale / norm;
        for (int k = 0; k < v.Length; k++)
        {
            q[k] = (short)Math.Round(v[k] * inverseNorm);
        }

        return q;
    }

    public static QuantizedUnitRows Create(VectorSet set)
    {
        int padded = (set.Dimension + 15) / 16 * 16;
        var rows = new short[set.Count][];
        double largestError = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            float[] v = set.Rows[i];
            double inverseNorm = 1.0 / set.Norms[i];
            var q = new short[padded];
            double errorSquared = 0;
            for (int k = 0; k < v.Length; k++)
            {
                double exact = v[k] * inverseNorm * Scale;
                double rounded = Math.Round(exact);
                q[k] = (short)rounded;
                errorSquared += (rounded - exact) * (rounded - exact);
            }

            rows[i] = q;
            largestError = Math.Max(largestError, Math.Sqrt(errorSquared));
        }

        // A little slack for the double arithmetic of the bound itself.
        double bound = (2 * largestError / Scale) + (largestError * largestError / (Scale * Scale)) + 1e-9;
        return new QuantizedUnitRows(rows, new short[padded], bound);
    }
}
