using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Dot products of a block of rows against a block of rows, in float, with a 3 x 4 register-blocked
/// micro-kernel over Vector256, else Vector128 (12 accumulators, 7 loads per 12 fused multiply-adds): about twice the
/// throughput of one TensorPrimitives.Dot call per pair, which is bound by loading both vectors for each
/// multiply-add. Rows are separate arrays of the same length.
/// </summary>
internal static class DotTileKernel
{
    public const int RowStep = 3;
    public const int ColStep = 4;

    /// <summary>
    /// tile[r * ldTile + c] = a[aStart + r] . b[bStart + c] for r &lt; aCount, c &lt; bCount. Indices past the
    /// end of a block read <paramref name="zero"/> (a zero row) and their results are not used.
    /// </summary>
    public static void Compute(float[][] a, int aStart, int aCount, float[][] b, int bStart, int bCount,
        float[] zero, float[] tile, int ldTile) =>
        ComputeBlocked<float, float, FloatMicroKernel>(a, aStart, aCount, b, bStart, bCount, zero, tile, ldTile);

    /// <summary>
    /// tile[r * ldTile + c] = a[aStart + r] . b[bStart + c] in exact 32-bit integer arithmetic (rows of 16-bit
    /// values, length a multiple of 16), with the same 3 x 4 blocking as <see cref="Compute"/> over AVX2's
    /// multiply-add of adjacent 16-bit pairs: 16 products per instruction and half the bytes of float rows. Without
    /// AVX2 a portable kernel gives the same integers, slower (<see cref="Int16Supported"/> says which runs).
    /// </summary>
    public static void ComputeInt16(short[][] a, int aStart, int aCount, short[][] b, int bStart, int bCount,
        short[] zero, int[] tile, int ldTile) =>
        ComputeBlocked<short, int, Int16MicroKernel>(a, aStart, aCount, b, bStart, bCount, zero, tile, ldTile);

    /// <summary>
    /// The 3 x 4 blocking shared by both element types: rows past the end of a block read
    /// <paramref name="zero"/>, and only the results of real rows are written. <typeparamref name="TKernel"/> is a
    /// struct, so the JIT compiles one copy per kernel with the micro-kernel call inlined.
    /// </summary>
    private static void ComputeBlocked<TIn, TOut, TKernel>(TIn[][] a, int aStart, int aCount, TIn[][] b, int bStart, int bCount,
        TIn[] zero, TOut[] tile, int ldTile)
        where TOut : unmanaged
        where TKernel : struct, IMicroKernel<TIn, TOut>
    {
        int d = zero.Length;
        Span<TOut> o = stackalloc TOut[RowStep * ColStep];
        for (int r = 0; r < aCount; r += RowStep)
        {
            ref TIn a0 = ref Row(a, aStart + r, aStart + aCount, zero);
            ref TIn a1 = ref Row(a, aStart + r + 1, aStart + aCount, zero);
            ref TIn a2 = ref Row(a, aStart + r + 2, aStart + aCount, zero);
            for (int c = 0; c < bCount; c += ColStep)
            {
                ref TIn b0 = ref Row(b, bStart + c, bStart + bCount, zero);
                ref TIn b1 = ref Row(b, bStart + c + 1, bStart + bCount, zero);
                ref TIn b2 = ref Row(b, bStart + c + 2, bStart + bCount, zero);
                ref TIn b3 = ref Row(b, bStart + c + 3, bStart + bCount, zero);
                TKernel.Run(ref a0, ref a1, ref a2, ref b0, ref b1, ref b2, ref b3, d, o);
                int rMax = Math.Min(RowStep, aCount - r);
                int cMax = Math.Min(ColStep, bCount - c);
                for (int rr = 0; rr < rMax; rr++)
                {
                    for (int cc = 0; cc < cMax; cc++)
                    {
                        tile[(r + rr) * ldTile + c + cc] = o[rr * ColStep + cc];
                    }
                }
            }
        }
    }

    /// <summary>Whether <see cref="ComputeInt16"/> runs its fast kernel here (AVX2); without it, the portable one.</summary>
    public static bool Int16Supported => Avx2.IsSupported;

    private interface IMicroKernel<TIn, TOut>
    {
        /// <summary>o[r * ColStep + c] = row a_r . row b_c over <paramref name="d"/> values.</summary>
        static abstract void Run(ref TIn a0, ref TIn a1, ref TIn a2, ref TIn b0, ref TIn b1, ref TIn b2, ref TIn b3, int d, Span<TOut> o);
    }

    private readonly struct Int16MicroKernel : IMicroKernel<short, int>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Run(ref short a0, ref short a1, ref short a2, ref short b0, ref short b1, ref short b2, ref short b3, int d, Span<int> o)
        {
            if (Avx2.IsSupported)
            {
                MicroInt16(ref a0, ref a1, ref a2, ref b0, ref b1, ref b2, ref b3, d, o);
            }
            else
            {
                MicroInt16Portable(ref a0, ref a1, ref a2, ref b0, ref b1, ref b2, ref b3, d, o);
            }
        }
    }

    private readonly struct FloatMicroKernel : IMicroKernel<float, float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Run(ref float a0, ref float a1, ref float a2, ref float b0, ref float b1, ref float b2, ref float b3, int d, Span<float> o) =>
            Micro(ref a0, ref a1, ref a2, ref b0, ref b1, ref b2, ref b3, d, o);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroInt16(ref short a0, ref short a1, ref short a2,
        ref short b0, ref short b1, ref short b2, ref short b3, int d, Span<int> o)
    {
        Vector256<int> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<int> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<int> c20 = default, c21 = default, c22 = default, c23 = default;
        for (int k = 0; k < d; k += Vector256<short>.Count)
        {
            nuint u = (nuint)k;
            Vector256<short> x0 = Vector256.LoadUnsafe(ref a0, u);
            Vector256<short> x1 = Vector256.LoadUnsafe(ref a1, u);
            Vector256<short> x2 = Vector256.LoadUnsafe(ref a2, u);
            Vector256<short> y = Vector256.LoadUnsafe(ref b0, u);
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(x0, y)); c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(x1, y)); c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(x2, y));
            y = Vector256.LoadUnsafe(ref b1, u);
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(x0, y)); c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(x1, y)); c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(x2, y));
            y = Vector256.LoadUnsafe(ref b2, u);
            c02 = Avx2.Add(c02, Avx2.MultiplyAddAdjacent(x0, y)); c12 = Avx2.Add(c12, Avx2.MultiplyAddAdjacent(x1, y)); c22 = Avx2.Add(c22, Avx2.MultiplyAddAdjacent(x2, y));
            y = Vector256.LoadUnsafe(ref b3, u);
            c03 = Avx2.Add(c03, Avx2.MultiplyAddAdjacent(x0, y)); c13 = Avx2.Add(c13, Avx2.MultiplyAddAdjacent(x1, y)); c23 = Avx2.Add(c23, Avx2.MultiplyAddAdjacent(x2, y));
        }

        o[0] = Vector256.Sum(c00); o[1] = Vector256.Sum(c01); o[2] = Vector256.Sum(c02); o[3] = Vector256.Sum(c03);
        o[4] = Vector256.Sum(c10); o[5] = Vector256.Sum(c11); o[6] = Vector256.Sum(c12); o[7] = Vector256.Sum(c13);
        o[8] = Vector256.Sum(c20); o[9] = Vector256.Sum(c21); o[10] = Vector256.Sum(c22); o[11] = Vector256.Sum(c23);
    }

    /// <summary>
    /// <see cref="MicroInt16"/> without AVX2 (ARM64, older x64): each product widened to 32 bits, Vector128 where
    /// accelerated, else scalar. 32-bit sums wrap as AVX2's do and integer addition is exact in any order, so the
    /// results are the same integers.
    /// </summary>
    private static void MicroInt16Portable(ref short a0, ref short a1, ref short a2,
        ref short b0, ref short b1, ref short b2, ref short b3, int d, Span<int> o)
    {
        Column(ref a0, ref a1, ref a2, ref b0, d, o, 0);
        Column(ref a0, ref a1, ref a2, ref b1, d, o, 1);
        Column(ref a0, ref a1, ref a2, ref b2, d, o, 2);
        Column(ref a0, ref a1, ref a2, ref b3, d, o, 3);

        static void Column(ref short a0, ref short a1, ref short a2, ref short b, int d, Span<int> o, int c)
        {
            o[c] = DotInt16(ref a0, ref b, d);
            o[ColStep + c] = DotInt16(ref a1, ref b, d);
            o[(2 * ColStep) + c] = DotInt16(ref a2, ref b, d);
        }
    }

    private static int DotInt16(ref short a, ref short b, int d)
    {
        int k = 0, sum = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<int> acc = default;
            for (; k + Vector128<short>.Count <= d; k += Vector128<short>.Count)
            {
                (Vector128<int> aLow, Vector128<int> aHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref a, (nuint)k));
                (Vector128<int> bLow, Vector128<int> bHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref b, (nuint)k));
                acc += (aLow * bLow) + (aHigh * bHigh);
            }

            sum = Vector128.Sum(acc);
        }

        for (; k < d; k++)
        {
            sum += Unsafe.Add(ref a, k) * Unsafe.Add(ref b, k);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T Row<T>(T[][] rows, int index, int end, T[] zero) =>
        ref MemoryMarshal.GetArrayDataReference(index < end ? rows[index] : zero);

    /// <summary>
    /// The widest float path this process runs: Vector256 (AVX2), Vector128 (SSE on x64, AdvSimd on ARM64), or
    /// scalar. DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 select the narrower ones.
    /// </summary>
    public static KernelPath FloatPath =>
        Vector256.IsHardwareAccelerated ? KernelPath.Vector256
        : Vector128.IsHardwareAccelerated ? KernelPath.Vector128
        : KernelPath.Scalar;

    /// <summary>
    /// o[r * ColStep + c] = a_r . b_c: Vector256 where accelerated, else Vector128, then the scalar tail, as
    /// System.Numerics.Tensors steps down. Any summation order keeps the error within gamma_d |a_r| |b_c|
    /// (<see cref="DotErrorBound"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro(ref float a0, ref float a1, ref float a2,
        ref float b0, ref float b1, ref float b2, ref float b3, int d, Span<float> o)
    {
        int k;
        if (Vector256.IsHardwareAccelerated && d >= Vector256<float>.Count)
        {
            k = MicroVector<Vector256<float>, Width256>(ref a0, ref a1, ref a2, ref b0, ref b1, ref b2, ref b3, d, o);
        }
        else if (Vector128.IsHardwareAccelerated && d >= Vector128<float>.Count)
        {
            k = MicroVector<Vector128<float>, Width128>(ref a0, ref a1, ref a2, ref b0, ref b1, ref b2, ref b3, d, o);
        }
        else
        {
            k = 0;
            o.Clear();
        }

        for (; k < d; k++)
        {
            float x0 = Unsafe.Add(ref a0, k), x1 = Unsafe.Add(ref a1, k), x2 = Unsafe.Add(ref a2, k);
            float y0 = Unsafe.Add(ref b0, k), y1 = Unsafe.Add(ref b1, k), y2 = Unsafe.Add(ref b2, k), y3 = Unsafe.Add(ref b3, k);
            o[0] += x0 * y0; o[1] += x0 * y1; o[2] += x0 * y2; o[3] += x0 * y3;
            o[4] += x1 * y0; o[5] += x1 * y1; o[6] += x1 * y2; o[7] += x1 * y3;
            o[8] += x2 * y0; o[9] += x2 * y1; o[10] += x2 * y2; o[11] += x2 * y3;
        }
    }

    /// <summary>
    /// The vector part of <see cref="Micro"/> at the width of <typeparamref name="TWidth"/> (a struct, so the JIT
    /// compiles one copy per width with its operations inlined; .NET 8 has no public interface over Vector128
    /// and Vector256). Writes o and returns how many values it covered.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MicroVector<TVector, TWidth>(ref float a0, ref float a1, ref float a2,
        ref float b0, ref float b1, ref float b2, ref float b3, int d, Span<float> o)
        where TVector : struct
        where TWidth : struct, IVectorWidth<TVector>
    {
        TVector c00 = default, c01 = default, c02 = default, c03 = default;
        TVector c10 = default, c11 = default, c12 = default, c13 = default;
        TVector c20 = default, c21 = default, c22 = default, c23 = default;
        int k = 0, last = d - TWidth.Count;
        for (; k <= last; k += TWidth.Count)
        {
            nuint u = (nuint)k;
            TVector x0 = TWidth.Load(ref a0, u);
            TVector x1 = TWidth.Load(ref a1, u);
            TVector x2 = TWidth.Load(ref a2, u);
            TVector y = TWidth.Load(ref b0, u);
            c00 = TWidth.MultiplyAdd(x0, y, c00); c10 = TWidth.MultiplyAdd(x1, y, c10); c20 = TWidth.MultiplyAdd(x2, y, c20);
            y = TWidth.Load(ref b1, u);
            c01 = TWidth.MultiplyAdd(x0, y, c01); c11 = TWidth.MultiplyAdd(x1, y, c11); c21 = TWidth.MultiplyAdd(x2, y, c21);
            y = TWidth.Load(ref b2, u);
            c02 = TWidth.MultiplyAdd(x0, y, c02); c12 = TWidth.MultiplyAdd(x1, y, c12); c22 = TWidth.MultiplyAdd(x2, y, c22);
            y = TWidth.Load(ref b3, u);
            c03 = TWidth.MultiplyAdd(x0, y, c03); c13 = TWidth.MultiplyAdd(x1, y, c13); c23 = TWidth.MultiplyAdd(x2, y, c23);
        }

        o[0] = TWidth.Sum(c00); o[1] = TWidth.Sum(c01); o[2] = TWidth.Sum(c02); o[3] = TWidth.Sum(c03);
        o[4] = TWidth.Sum(c10); o[5] = TWidth.Sum(c11); o[6] = TWidth.Sum(c12); o[7] = TWidth.Sum(c13);
        o[8] = TWidth.Sum(c20); o[9] = TWidth.Sum(c21); o[10] = TWidth.Sum(c22); o[11] = TWidth.Sum(c23);
        return k;
    }

    private interface IVectorWidth<TVector>
    {
        static abstract int Count { get; }

        static abstract TVector Load(ref float source, nuint offset);

        /// <summary>acc + x * y, fused where the CPU can.</summary>
        static abstract TVector MultiplyAdd(TVector x, TVector y, TVector acc);

        static abstract float Sum(TVector v);
    }

    private readonly struct Width256 : IVectorWidth<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> acc) =>
            Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : acc + (x * y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Vector256<float> v) => Vector256.Sum(v);
    }

    private readonly struct Width128 : IVectorWidth<Vector128<float>>
    {
        public static int Count => Vector128<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

        // .NET 8 has no cross-platform fused multiply-add (Vector128.MultiplyAddEstimate is .NET 9): FMA3 on x64,
        // AdvSimd on ARM64, else multiply then add.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> MultiplyAdd(Vector128<float> x, Vector128<float> y, Vector128<float> acc) =>
            Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc)
            : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(acc, x, y)
            : acc + (x * y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Vector128<float> v) => Vector128.Sum(v);
    }

    /// <summary>
    /// Largest |fl(a . b) - a . b| / (|a| |b|) for float rows of length <paramref name="d"/>, whatever the
    /// summation order, fused or not: gamma_d = d u / (1 - d u) with u = 2^-24 (Higham, Accuracy and Stability of
    /// Numerical Algorithms, eq. 3.5, for any order), since sum |a_k b_k| &lt;= |a| |b| (Cauchy-Schwarz). Infinite
    /// once d u reaches 1, where no float bound holds.
    /// </summary>
    public static double DotErrorBound(int d)
    {
        double du = d * Math.ScaleB(1.0, -24);
        return du < 1 ? du / (1 - du) : double.PositiveInfinity;
    }
}
