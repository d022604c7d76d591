using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Tests.Clustering;
using FaceCluster.Model;

/// <summary>
/// <c>ClusterBench recall N</c>: how many of each face's exact nearest neighbours the approximate search finds
/// (<see cref="NeighbourGraph"/>), on N <see cref="RealisticFaces"/>, for 200 faces: all of its list, and the pairs
/// within the faceplugin pack's pair threshold (0.54).
/// </summary>
internal static class RecallProbe
{
    public static void Run(int n)
    {
        (List<float[]> v, _) = RealisticFaces.Generate(n, 512, seed: 42);
        var set = VectorSet.Create(v, DistanceMetric.Cosine, "v");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var graph = NeighbourGraph.Build(set, Environment.ProcessorCount, _ => { }, default);
        Console.WriteLine($"graph built in {watch.Elapsed.TotalSeconds:F1} s");
        var rng = new Random(1);
        double listed = 0, within = 0, withinFound = 0;
        const int Probes = 200;
        int[] probes = Enumerable.Range(0, Probes).Select(_ => rng.Next(n)).ToArray();
        var sums = new object();
        Parallel.ForEach(probes, i =>
        {
            var exact = Enumerable.Range(0, n).Where(j => j != i).Select(j => (Distance: set.Surrogate(i, j), Point: j))
                .OrderBy(x => x.Distance).Take(NeighbourGraph.Neighbours).ToArray();
            var found = graph.Of(i).Points.ToArray().ToHashSet();
            var near = exact.Where(x => x.Distance <= 0.54).ToArray();
            lock (sums)
            {
                listed += exact.Count(x => found.Contains(x.Point)) / (double)exact.Length;
                within += near.Length;
                withinFound += near.Count(x => found.Contains(x.Point));
            }
        });

        Console.WriteLine($"n={n} recall@{NeighbourGraph.Neighbours}={listed / Probes:F3} recall_within_0.54={withinFound / within:F3} ({within} pairs)");
    }
}
