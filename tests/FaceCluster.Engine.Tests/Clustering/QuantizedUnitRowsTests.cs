using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

public class QuantizedUnitRowsTests
{
    [Theory]
    [InlineData(128)]
    [InlineData(512)]
    [InlineData(100)] // padded to 112
    public void Sixteen_bit_dot_products_are_within_the_bound_of_the_exact_cosine(int dimension)
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(300, dimension, seed: dimension, normalise: false);
        var set = VectorSet.Create(v, DistanceMetric.Cosine, "v");
        var q = QuantizedUnitRows.Create(set);
        Assert.Equal(0, q.Zero.Length % 16);
        Assert.InRange(q.ErrorBound, 1e-6, 0.01);

        // AVX2's kernel, or the portable one on the narrower paths (build.ps1 runs these tests on each): the same integers.
        var tile = new int[300 * 300];
        DotTileKernel.ComputeInt16(q.Rows, 0, 300, q.Rows, 0, 300, q.Zero, tile, 300);

        double worst = 0;
        for (int i = 0; i < 300; i++)
        {
            for (int j = 0; j < 300; j++)
            {
                long dot = 0;
                for (int k = 0; k < q.Zero.Length; k++)
                {
                    dot += q.Rows[i][k] * q.Rows[j][k];
                }

                Assert.Equal(dot, tile[(i * 300) + j]);

                double cosine = 1 - set.Surrogate(i, j);
                worst = Math.Max(worst, Math.Abs((dot / (QuantizedUnitRows.Scale * QuantizedUnitRows.Scale)) - cosine));
            }
        }

        Assert.True(worst <= q.ErrorBound, $"worst error {worst} above the bound {q.ErrorBound}");
    }
}
