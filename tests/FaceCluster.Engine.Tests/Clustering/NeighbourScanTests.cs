using System.Numerics.Tensors;
using FaceCluster.Engine.Clustering;
using FaceCluster.Model;
using Xunit.Abstractions;

namespace FaceCluster.Engine.Tests.Clustering;

public class NeighbourScanTests(ITestOutputHelper output)
{
    [Fact]
    public void Margin_grows_with_the_dimension_and_covers_the_rounding_bound()
    {
        int[] dims = [1, 128, 512, 2048, SwampedPair.Dimension];
        for (int i = 0; i < dims.Length; i++)
        {
            Assert.True(NeighbourScan.MarginFor(dims[i]) >= DotTileKernel.DotErrorBound(dims[i]));
            Assert.True(i == 0 || NeighbourScan.MarginFor(dims[i]) > NeighbourScan.MarginFor(dims[i - 1]));
        }

        Assert.True(NeighbourScan.MarginFor(2048) > 2048 * Math.ScaleB(1.0, -24));
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    public void A_pair_the_float_sum_misjudges_by_more_than_1e_4_is_decided_in_double(DistanceMetric metric)
    {
        (float[] a, float[] b, double dot) = SwampedPair.Create(SwampedPair.Dimension);
        double normSquared = SwampedPair.NormSquared(a); // |a| = |b|
        output.WriteLine($"float path {DotTileKernel.FloatPath}, TensorPrimitives.Dot {TensorPrimitives.Dot(a, b)}, exact {dot}");
        // The threshold halfway between the exact surrogate and the one from a float dot product of 0.
        double exact = metric == DistanceMetric.Cosine ? 1 - (dot / normSquared) : (2 * normSquared) - (2 * dot);
        double fromFloat = metric == DistanceMetric.Cosine ? 1 : 2 * normSquared;
        double threshold = (exact + fromFloat) / 2;
        double epsilon = metric == DistanceMetric.Cosine ? threshold : Math.Sqrt(threshold);

        ClusterAssignment r = new DbscanClusterer().Cluster([a, b],
            new DbscanOptions { Epsilon = epsilon, MinSamples = 2, Metric = metric });

        Assert.Equal([0, 0], r.Labels);
    }
}
