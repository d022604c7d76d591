// DBSCAN benchmark. One configuration per process, so that the peak working set belongs to it alone.
//   ClusterBench run N DIM [--sklearn]   cluster N synthetic identity vectors of DIM dims (cosine, eps 0.40,
//                                         min 5); with --sklearn also run scikit-learn and check parity
//   ClusterBench run N DIM --linkage [--budget PAIRS] [--threshold T] [--group-threshold G]
//                                         the same vectors by average linkage (threshold 0.40 unless told)
//   ClusterBench kernel DIM              compare the blocked kernel with one TensorPrimitives.Dot per pair
//   ClusterBench realistic N [--search auto|exact|approximate] [--compare] [--labels FILE]
//   ClusterBench profile N                the same, approximate, step by step: wall and CPU seconds of each
//   ClusterBench agree FOUND EXACT        two --labels files compared (pairwise F1 of the first against the second)
//                                         RealisticFaces clustered as Invoke-FaceCluster does by default
//   ClusterBench recall N                 how many exact nearest neighbours the approximate search finds
//   ClusterBench realism [--count N] CACHE...  real faces (LibraryBenchmark's faceplugin-*.faces) beside
//                                         RealisticFaces: distance and people-size histograms
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using FaceCluster.Engine.Clustering;
using FaceCluster.Model;
using FaceCluster.Engine.Tests.Clustering;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const double Eps = 0.40;
const int MinSamples = 5;

double Option(string name, double fallback) =>
    Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;

if (args.Length >= 2 && args[0] == "kernel")
{
    Kernel(int.Parse(args[1], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length >= 2 && args[0] == "recall")
{
    RecallProbe.Run(int.Parse(args[1], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length >= 3 && args[0] == "agree")
{
    return RealisticRun.Agree(args);
}

if (args.Length >= 2 && args[0] == "profile")
{
    return ProfileRun.Run(args);
}

if (args.Length >= 2 && args[0] == "realistic")
{
    return RealisticRun.Run(args);
}

if (args.Length >= 1 && args[0] == "realism")
{
    int count = (int)Option("--count", 20000);
    Realism.Run(args.Where(a => a.EndsWith(".faces", StringComparison.Ordinal)).ToArray(), count);
    return 0;
}

if (args.Length < 3 || args[0] != "run")
{
    Console.Error.WriteLine("usage: ClusterBench run N DIM [--sklearn] | ClusterBench kernel DIM");
    return 2;
}

int n = int.Parse(args[1], CultureInfo.InvariantCulture), dim = int.Parse(args[2], CultureInfo.InvariantCulture);
bool withSklearn = args.Contains("--sklearn");
(List<float[]> vectors, _) = IdentityBlobs.Generate(n, dim, seed: 42, spread: 0.8);
if (args.Contains("--linkage"))
{
    // Average linkage at the same distance unless told otherwise.
    double threshold = Option("--threshold", Eps);
    double group = Option("--group-threshold", double.NaN);
    var linkage = new AverageLinkageOptions
    {
        Threshold = threshold, GroupThreshold = double.IsNaN(group) ? null : group, Metric = DistanceMetric.Cosine,
        PairBudget = (int)Option("--budget", AverageLinkageOptions.DefaultPairBudget),
    };
    var linker = new AverageLinkageClusterer();
    var watch = Stopwatch.StartNew();
    ClusterAssignment linked = linker.Cluster(vectors, linkage);
    double linkSeconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine($"n={n} dim={dim} algorithm=AverageLinkage threshold={threshold} group_threshold={linkage.GroupThreshold?.ToString(CultureInfo.InvariantCulture) ?? "none"} pair_budget={linkage.PairBudget} ours_s={linkSeconds:F2} ours_peak_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} passes={linker.LastRunPasses} budget_grown={linker.LastRunExceededBudget} clusters={linked.ClusterCount} doubtful={linked.Labels.Count(l => l < 0)} {NearestClusters(linked, ClusteringAlgorithm.AverageLinkage)}");
    return 0;
}

var options = new DbscanOptions { Epsilon = Eps, MinSamples = MinSamples, Metric = DistanceMetric.Cosine };
var clusterer = new DbscanClusterer();
var sw = Stopwatch.StartNew();
ClusterAssignment ours = clusterer.Cluster(vectors, options);
double seconds = sw.Elapsed.TotalSeconds;
double peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
int core = ours.Roles.Count(r => r == FaceRole.Core), noise = ours.Roles.Count(r => r == FaceRole.Noise);
string line = $"n={n} dim={dim} ours_s={seconds:F2} ours_peak_mb={peakMb:F0} clusters={ours.ClusterCount} core={core} border={n - core - noise} noise={noise} two_passes={clusterer.LastRunRecomputed} {NearestClusters(ours, ClusteringAlgorithm.Dbscan)}";
if (withSklearn)
{
    SklearnOracle sk = SklearnOracle.Run(vectors, Eps, MinSamples, DistanceMetric.Cosine,
        Path.Combine(AppContext.BaseDirectory, "sklearn_dbscan.py"));
    DbscanParity parity = DbscanParity.Compare(ours, sk);
    line += $" sklearn_s={sk.Seconds:F2} sklearn_peak_mb={sk.MaxRssKb / 1024.0:F0} speedup={sk.Seconds / seconds:F1} memory_ratio={sk.MaxRssKb / 1024.0 / peakMb:F1} parity={(parity.Identical ? "identical" : "DIFFERENT")} border_rule_diffs={parity.BorderDifferences}";
    if (!parity.Identical)
    {
        Console.Error.WriteLine(parity);
    }
}

Console.WriteLine(line);
return 0;

// The doubtful faces' nearest clusters (what Invoke-FaceCluster adds after clustering), timed on its own.
string NearestClusters(ClusterAssignment found, ClusteringAlgorithm algorithm)
{
    var sw = Stopwatch.StartNew();
    var clusters = new List<int>[found.ClusterCount];
    for (int k = 0; k < clusters.Length; k++)
    {
        clusters[k] = [];
    }

    for (int i = 0; i < n; i++)
    {
        if (found.Labels[i] >= 0)
        {
            clusters[found.Labels[i]].Add(i);
        }
    }

    int[] doubtful = Enumerable.Range(0, n).Where(i => found.Labels[i] < 0).ToArray();
    NearestClusterFinder.Find(vectors, clusters, found.Roles, doubtful,
        new FaceClusteringOptions { Algorithm = algorithm, Metric = DistanceMetric.Cosine });
    return $"nearest_cluster_s={sw.Elapsed.TotalSeconds:F2} nearest_cluster_peak_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0}";
}

static void Kernel(int dim)
{
    (List<float[]> v, _) = IdentityBlobs.Generate(4000, dim, seed: 1);
    long pairs = (long)v.Count * (v.Count - 1) / 2;
    var c = new DbscanClusterer();
    var o = new DbscanOptions { Epsilon = 0.01, MinSamples = 2, MaxDegreeOfParallelism = 1 };
    c.Cluster(v, o);
    var sw = Stopwatch.StartNew();
    c.Cluster(v, o);
    double blocked = sw.Elapsed.TotalSeconds;
    float[][] a = v.ToArray();
    float sink = 0;
    sw.Restart();
    for (int i = 0; i < a.Length; i++)
    {
        for (int j = i + 1; j < a.Length; j++)
        {
            sink += TensorPrimitives.Dot(a[i], a[j]);
        }
    }

    double perPair = sw.Elapsed.TotalSeconds;
    string path = DotTileKernel.Int16Supported ? "16-bit first look, then float " + DotTileKernel.FloatPath : "float " + DotTileKernel.FloatPath;
    Console.WriteLine($"kernel dim={dim} one thread: the neighbour scan (cosine, 3x4 blocked, {path}) {pairs * (double)dim / blocked / 1e9:F1} GMAC/s (whole scan), TensorPrimitives.Dot per pair {pairs * (double)dim / perPair / 1e9:F1} GMAC/s (dot only) {(sink == 42 ? "" : "")}");
}
