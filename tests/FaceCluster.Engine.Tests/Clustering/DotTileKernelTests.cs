using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FaceCluster.Engine.Clustering;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>
/// The float tile kernel on whichever path this process runs. build.ps1 runs the Clustering tests again in child
/// processes with DOTNET_EnableAVX2=0 (Vector128) and DOTNET_EnableHWIntrinsic=0 (scalar), naming the path it
/// expects in FACECLUSTER_KERNEL_PATH.
/// </summary>
public class DotTileKernelTests
{
    [Fact]
    public void Float_path_is_the_one_the_process_was_started_for()
    {
        string? expected = Environment.GetEnvironmentVariable("FACECLUSTER_KERNEL_PATH");
        if (expected is null)
        {
            // Every 64-bit .NET target has Vector128 in hardware (SSE2 on x64, AdvSimd on ARM64).
            Assert.Equal(Avx2.IsSupported ? KernelPath.Vector256 : KernelPath.Vector128, DotTileKernel.FloatPath);
            return;
        }

        Assert.Equal(Enum.Parse<KernelPath>(expected), DotTileKernel.FloatPath);
        Assert.False(Avx2.IsSupported, "the child run must not use AVX2");
        Assert.False(Vector256.IsHardwareAccelerated);
        Assert.False(DotTileKernel.Int16Supported);
        Assert.Equal(expected != nameof(KernelPath.Scalar), Vector128.IsHardwareAccelerated);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(128)]
    [InlineData(515)] // Vector256 and Vector128 bodies with a scalar tail
    [InlineData(2048)]
    public void Tiles_are_within_the_rounding_bound_of_the_double_dot_product(int d)
    {
        var rng = new Random(d);
        float[][] a = Rows(rng, 7, d), b = Rows(rng, 10, d); // neither a multiple of the 3 x 4 blocking
        var tile = new float[7 * 11];
        DotTileKernel.Compute(a, 0, 7, b, 0, 10, new float[d], tile, 11);
        double bound = DotTileKernel.DotErrorBound(d);
        for (int r = 0; r < 7; r++)
        {
            for (int c = 0; c < 10; c++)
            {
                double exact = 0, na = 0, nb = 0;
                for (int k = 0; k < d; k++)
                {
                    exact += (double)a[r][k] * b[c][k];
                    na += (double)a[r][k] * a[r][k];
                    nb += (double)b[c][k] * b[c][k];
                }

                Assert.InRange(tile[(r * 11) + c] - exact, -bound * Math.Sqrt(na * nb), bound * Math.Sqrt(na * nb));
            }

            Assert.Equal(0f, tile[(r * 11) + 10]); // the column past the block is not written
        }
    }

    [Fact]
    public void Swamped_sum_errs_by_more_than_the_old_fixed_margin_but_within_the_bound()
    {
        (float[] a, float[] b, double exact) = SwampedPair.Create(SwampedPair.Dimension);
        var tile = new float[DotTileKernel.RowStep * DotTileKernel.ColStep];
        DotTileKernel.Compute([a], 0, 1, [b], 0, 1, new float[a.Length], tile, 1);
        double norms = SwampedPair.NormSquared(a);
        double error = Math.Abs(tile[0] - exact) / norms;
        Assert.True(error > 1e-4, $"relative error {error}");
        Assert.True(error <= DotTileKernel.DotErrorBound(a.Length), $"relative error {error}");
    }

    private static float[][] Rows(Random rng, int count, int d) =>
        Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, d).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray()).ToArray();
}
