using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>The group pairs one pass of average linkage collects (<see cref="GroupPairBuffer"/>).</summary>
public class GroupPairBufferTests
{
    private const double Threshold = 0.5;

    /// <summary>
    /// The scan's workers hand their pairs over in whatever order the threads run. A full buffer lowers its horizon from the
    /// pairs it holds at that moment, so the horizon, and with the approximate search the clusters, once depended on
    /// thread timing: a million faces gave 85,485 and 85,484 people in two runs.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_full_buffer_ends_with_the_same_pairs_and_horizon_whatever_order_the_pairs_arrive_in(bool secondPass)
    {
        (List<float[]> v, _) = IdentityBlobs.Generate(600, 16, seed: 8, normalise: true);
        var set = VectorSet.Create(v, DistanceMetric.Cosine, "v");
        var pairs = new List<int[]>();
        var chunker = new Chunker(pairs);
        new NeighbourScan(set, Threshold).Run(chunker, 1, null, _ => { }, default);
        const int Budget = 400;
        Assert.True(pairs.Sum(p => p.Length / 2) > 4 * Budget, $"{pairs.Sum(p => p.Length / 2)} pairs: too few to fill the buffer");

        (long[] Keys, float Horizon) Collect(IEnumerable<int[]> order)
        {
            var groups = new LinkageGroups(set, null);
            double floor = double.NegativeInfinity;
            if (secondPass)
            {
                // As after a first pass: some groups merged, the pairs up to its horizon looked at.
                for (int i = 0; i + 5 < v.Count; i += 7)
                {
                    groups.Merge(groups.RootOf(i), groups.RootOf(i + 5));
                }

                floor = 0.2;
            }

            var buffer = new GroupPairBuffer(groups, Threshold, floor, Budget, maxPairs: long.MaxValue, workers: 1);
            foreach (int[] chunk in order)
            {
                buffer.Accept(0, 0, chunk);
            }

            (long[] keys, int count, double horizon) = buffer.Finish();
            return (keys[..count], (float)horizon);
        }

        (long[] Keys, float Horizon) forward = Collect(pairs);
        Assert.True(forward.Horizon < Threshold, "the budget should have lowered the horizon");
        foreach (IEnumerable<int[]> order in new[] { Enumerable.Reverse(pairs), pairs.OrderBy(p => p[1] % 13).ThenBy(p => p[0]) })
        {
            (long[] Keys, float Horizon) other = Collect(order);
            Assert.Equal(forward.Horizon, other.Horizon);
            Assert.Equal(forward.Keys, other.Keys);
        }
    }

    /// <summary>
    /// The pairs at or below a pass's floor stay in every later pass; when they alone are more than half the budget, the
    /// next pass starts with room for twice as many (<see cref="GroupPairBuffer.Carried"/>), or each pass would get one
    /// step of the horizon further: 7,041 passes here.
    /// </summary>
    [Fact]
    public void A_tiny_budget_on_the_graph_takes_tens_of_passes_not_thousands()
    {
        (List<float[]> v, _) = RealisticFaces.Generate(3000, 64, seed: 11);
        NeighbourGraph graph = NeighbourGraph.Build(VectorSet.Create(v, DistanceMetric.Cosine, "v"), 2, _ => { }, default);
        var clusterer = new AverageLinkageClusterer();
        ClusterAssignment result = clusterer.Cluster(v, new AverageLinkageOptions
        {
            Threshold = 0.54, GroupThreshold = 0.64, Metric = DistanceMetric.Cosine, PairBudget = 300, Neighbours = graph,
        });
        Assert.True(clusterer.LastRunPasses <= 60, $"{clusterer.LastRunPasses} passes");
        Assert.True(clusterer.LastRunExceededBudget);
        Assert.True(result.ClusterCount > 100);
    }

    /// <summary>Keeps the scan's pairs in chunks of 10 pairs.</summary>
    private sealed class Chunker(List<int[]> chunks) : IPairSink
    {
        public void Accept(int worker, int blockStart, ReadOnlySpan<int> pairs)
        {
            for (int k = 0; k < pairs.Length; k += 20)
            {
                chunks.Add(pairs[k..Math.Min(pairs.Length, k + 20)].ToArray());
            }
        }
    }
}
