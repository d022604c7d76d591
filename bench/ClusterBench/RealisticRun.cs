using System.Diagnostics;
using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Engine.Models;
using FaceCluster.Engine.Tests.Clustering;
using FaceCluster.Model;

/// <summary>
/// <c>ClusterBench realistic N [--search auto|exact|approximate] [--compare] [--models DIR]</c>: N
/// <see cref="RealisticFaces"/> x 512 clustered as Invoke-FaceCluster clusters them by default (average linkage with the
/// faceplugin pack's threshold and library rule, one face per photo, the doubtful faces' nearest clusters), timed, with the
/// peak working set of the clustering (the faces included; the process's where Linux's reset is missing) and the pairwise F1 against the generated people. The CPU seconds (every thread) bound the
/// time on an otherwise idle machine: at most that, at least that over the cores. --compare clusters the same faces again
/// with the exact search and prints how far the two agree (pairwise F1 of one against the other); --labels FILE writes
/// each face's cluster, for <c>ClusterBench agree</c> to compare runs made in separate processes.
/// </summary>
internal static class RealisticRun
{
    public static int Run(string[] args)
    {
        int n = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        string Option(string name, string fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        var search = Enum.Parse<NeighbourSearch>(Option("--search", "auto"), ignoreCase: true);
        string models = Option("--models", Path.Combine(AppContext.BaseDirectory, "../../../../../models"));
        ModelPack pack = ModelPackCatalog.Load(models).Get("faceplugin");

        var watch = Stopwatch.StartNew();
        (List<float[]> vectors, int[] person) = RealisticFaces.Generate(n, 512, seed: 42);
        var faces = new FaceEncoding[n];
        for (int i = 0; i < n; i++)
        {
            faces[i] = new FaceEncoding
            {
                Path = $"/synthetic/{i:D7}.jpg", FaceIndex = 0, Box = new FaceBox(0, 0, 100, 100), Landmarks = [], Confidence = 1,
                Vector = vectors[i], Model = pack.Name, ImageWidth = 100, ImageHeight = 100,
            };
        }

        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {Environment.ProcessorCount} cores, load {Load()}; generated {n:N0} faces in {watch.Elapsed.TotalSeconds:F1} s, {person.Where(p => p >= 0).Distinct().Count():N0} people, {person.Count(p => p < 0):N0} strangers");
        FaceClusteringOptions Options(NeighbourSearch s) => new()
        {
            Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = pack.LinkageThreshold, Metric = pack.Metric,
            LibraryThreshold = pack.LibraryThreshold, NeighbourSearch = s,
        };

        int[] found = Cluster(Options(search), faces, person, out NeighbourSearchChoice choice);
        if (Option("--labels", "") is { Length: > 0 } labels)
        {
            File.WriteAllLines(labels, found.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (args.Contains("--compare"))
        {
            Agree(found, Cluster(Options(NeighbourSearch.Exact), faces, person, out _), $"{choice.Path} against Exact");
        }

        return 0;
    }

    /// <summary><c>ClusterBench agree FOUND EXACT</c>: two --labels files of one library, the first scored against the second.</summary>
    public static int Agree(string[] args)
    {
        int[] Read(string path) => File.ReadAllLines(path).Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Agree(Read(args[1]), Read(args[2]), $"{args[1]} against {args[2]}");
        return 0;
    }

    /// <summary>Prints how far <paramref name="found"/> agrees with <paramref name="exact"/> (pairwise, doubtful faces alone).</summary>
    private static void Agree(int[] found, int[] exact, string what)
    {
        ClusteringScore agreement = ClusteringScorer.Score(found, exact.Select((c, i) => c < 0 ? $"doubtful {i}" : $"{c}").ToArray());
        Console.WriteLine($"agreement {what}: pairwise_f1={agreement.PairwiseF1:F4} precision={agreement.PairwisePrecision:F4} recall={agreement.PairwiseRecall:F4} bcubed_f1={agreement.BCubedF1:F4}");
    }

    /// <summary>Clusters the faces once and prints the line; returns each face's cluster (-1: doubtful), in input order.</summary>
    private static int[] Cluster(FaceClusteringOptions options, FaceEncoding[] faces, int[] person, out NeighbourSearchChoice choice)
    {
        var clusterer = new FaceClusterer();
        // The clustering's own peak: the generator's garbage collected first, then (Linux) the kernel's high-water mark
        // of resident memory reset (clear_refs 5), so the peak is the faces plus what clustering them takes.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long before = Process.GetCurrentProcess().WorkingSet64;
        bool reset = ResetPeak();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        IReadOnlyList<FaceGroup> groups = clusterer.Cluster(faces, options);
        double seconds = watch.Elapsed.TotalSeconds;
        // Read now, before the benchmark's own scoring below adds to it.
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        // On a shared machine the wall time is mostly waiting; the CPU time bounds the time on an idle one.
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        choice = clusterer.Search!;
        var index = faces.Select((f, i) => (f.Path, i)).ToDictionary(x => x.Path, x => x.i);
        var label = new int[faces.Length];
        int hints = 0, doubtful = 0;
        foreach (FaceGroup g in groups)
        {
            foreach (ClusterMember m in g.Members)
            {
                label[index[m.Face.Path]] = g.IsDoubtful ? -1 : g.Id;
                doubtful += g.IsDoubtful ? 1 : 0;
                hints += m.NearestClusterId is null ? 0 : 1;
            }
        }

        ClusteringScore score = ClusteringScorer.Score(label, person.Select((p, i) => p < 0 ? $"stranger {i}" : $"{p}").ToArray());
        Console.WriteLine($"n={faces.Length} search={choice.Path} seconds={seconds:F1} cpu_seconds={cpuSeconds:F1} {(reset ? "clustering_peak_mb" : "peak_mb")}={peak / 1048576.0:F0} faces_mb={before / 1048576.0:F0} load={Load()} clusters={groups.Count(g => !g.IsDoubtful)} doubtful={doubtful} hinted={hints} group_threshold={clusterer.GroupThreshold:F2} pairwise_f1={score.PairwiseF1:F4} bcubed_f1={score.BCubedF1:F4} ({choice.Reason})");
        return label;
    }

    /// <summary>Resets the process's peak resident memory where Linux allows it; false elsewhere (the peak is then the process's).</summary>
    private static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
