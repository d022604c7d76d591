using System.Diagnostics;
using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Models;
using FaceCluster.Engine.Tests.Clustering;
using FaceCluster.Model;

/// <summary>
/// <c>ClusterBench profile N</c>: where the default clustering of N <see cref="RealisticFaces"/> x 512 spends its time
/// on the approximate path, step by step as <see cref="FaceClusterer"/> runs them (library rule, neighbour graph,
/// average linkage on it, medoids, the doubtful faces' nearest clusters): wall and CPU seconds (every thread) of each,
/// and the process's working set after it.
/// </summary>
internal static class ProfileRun
{
    public static int Run(string[] args)
    {
        int n = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        ModelPack pack = ModelPackCatalog.Load(Path.Combine(AppContext.BaseDirectory, "../../../../../models")).Get("faceplugin");
        (List<float[]> list, _) = RealisticFaces.Generate(n, 512, seed: 42);
        float[][] vectors = [.. list];
        list = null!;
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} profile n={n:N0} {Environment.ProcessorCount} cores, load {RealisticRun.Load()}");
        int workers = Environment.ProcessorCount;
        var total = Stopwatch.StartNew();
        TimeSpan cpuStart = Cpu();

        double group = Step("library rule", () => LibraryThreshold.Choose(vectors, pack.Metric, pack.LinkageThreshold, pack.LibraryThreshold!, workers));
        var set = VectorSet.Create(vectors, pack.Metric, "vectors");
        long done = 0;
        var buildWatch = Stopwatch.StartNew();
        TimeSpan buildCpu = Cpu();
        NeighbourGraph graph = Step("neighbour graph", () => NeighbourGraph.Build(set, workers, u =>
        {
            long now = Interlocked.Add(ref done, u);
            if (now == n || now == 2L * n)
            {
                Console.WriteLine($"  {(now == n ? "nearest cells" : "cell pairs"),-16} wall={buildWatch.Elapsed.TotalSeconds,7:F1} s cpu={(Cpu() - buildCpu).TotalSeconds,7:F1} s (from the start)");
            }
        }, default));
        int[] photoOf = Enumerable.Range(0, n).ToArray();
        var linker = new AverageLinkageClusterer();
        ClusterAssignment result = Step("average linkage", () => linker.Cluster(vectors, new AverageLinkageOptions
        {
            Threshold = pack.LinkageThreshold, GroupThreshold = group, Metric = pack.Metric, MaxDegreeOfParallelism = workers,
            Neighbours = graph,
        }, photoOf));
        var members = Enumerable.Range(0, result.ClusterCount).Select(_ => new List<int>()).ToArray();
        var noise = new List<int>();
        for (int i = 0; i < n; i++)
        {
            (result.Labels[i] < 0 ? noise : members[result.Labels[i]]).Add(i);
        }

        Step("medoids", () => members.Select(m => MedoidFinder.IndexOfMedoid(m.Select(i => vectors[i]).ToArray(), pack.Metric, workers)).ToArray());
        Step("nearest clusters", () => NearestClusterFinder.FindAmongNeighbours(graph, vectors, members, result.Roles, noise, pack.Metric));
        Console.WriteLine($"total wall={total.Elapsed.TotalSeconds:F1} s cpu={(Cpu() - cpuStart).TotalSeconds:F1} s peak_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} load={RealisticRun.Load()} clusters={result.ClusterCount} doubtful={noise.Count} group_threshold={group:F2}");
        return 0;
    }

    private static T Step<T>(string name, Func<T> step)
    {
        TimeSpan cpu = Cpu();
        var watch = Stopwatch.StartNew();
        T value = step();
        Console.WriteLine($"{name,-18} wall={watch.Elapsed.TotalSeconds,7:F1} s cpu={(Cpu() - cpu).TotalSeconds,7:F1} s working_set_mb={Environment.WorkingSet / 1048576.0:F0}");
        return value;
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
}
