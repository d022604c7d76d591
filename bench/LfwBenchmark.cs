#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
// LFW verification benchmark of a FaceCluster model pack (10-fold, as the LFW protocol prescribes): for each fold,
// the distance threshold that is most accurate on the other nine folds is applied to it. An image in which no face
// is found makes its pairs "different" (distance +infinity) for every pack alike; their number is reported.
// Usage: dotnet run -c Release bench/LfwBenchmark.cs -- [--pack dlib] [--lfw <lfw-deepfunneled dir>] [--models <dir>] [--jitter N] [--limit N]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics.Tensors;
using FaceCluster.Engine.Encoding;
using FaceCluster.Model;
using FaceCluster.Engine.Models;

var options = new Dictionary<string, string>
{
    ["--pack"] = "dlib",
    ["--lfw"] = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "..", "../shared/datasets/lfw-deepfunneled"),
    ["--models"] = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "..", "artifacts/module/FaceCluster/models"),
    ["--jitter"] = "1",
    ["--limit"] = "0",
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!options.ContainsKey(args[i])) throw new ArgumentException($"Unknown option {args[i]}");
    options[args[i]] = args[i + 1];
}

var pack = ModelPackCatalog.Load(options["--models"]).Get(options["--pack"]);
using var encoder = FaceEncoder.Create(pack, new FaceEncoderOptions { MinConfidence = 0.5f, Jitter = int.Parse(options["--jitter"]) });
string lfw = options["--lfw"];

// pairs.txt: "10 300", then per fold 300 same-person lines (name a b) and 300 different-person lines (name a name b).
var lines = File.ReadLines(Path.Combine(lfw, "pairs.txt")).ToList();
var header = lines[0].Split('\t', ' ');
int folds = int.Parse(header[0]), perFold = int.Parse(header[1]);
var pairs = lines.Skip(1).Select((l, i) =>
{
    var p = l.Split('\t');
    return p.Length == 3
        ? (Fold: i / (2 * perFold), A: Image(p[0], p[1]), B: Image(p[0], p[2]), Same: true)
        : (Fold: i / (2 * perFold), A: Image(p[0], p[1]), B: Image(p[2], p[3]), Same: false);
}).ToList();
int limit = int.Parse(options["--limit"]);
if (limit > 0) pairs = pairs.Where((_, i) => i % (2 * perFold) < limit || (i % (2 * perFold) >= perFold && i % (2 * perFold) < perFold + limit)).ToList();

var images = pairs.SelectMany(p => new[] { p.A, p.B }).Distinct().ToList();
var vectors = new ConcurrentDictionary<string, float[]?>();
var watch = Stopwatch.StartNew();
Parallel.ForEach(images, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, path =>
{
    var faces = encoder.Encode(path);
    // LFW images are centred on the person: take the face nearest the centre.
    var face = faces.OrderBy(f => Math.Abs(f.Box.CenterX - (f.ImageWidth / 2f)) + Math.Abs(f.Box.CenterY - (f.ImageHeight / 2f))).FirstOrDefault();
    vectors[path] = face?.Vector;
});
watch.Stop();
int noFace = vectors.Count(v => v.Value is null);

var scored = pairs.Select(p => (p.Fold, p.Same, Distance: Distance(vectors[p.A], vectors[p.B]))).ToList();
var accuracies = new List<double>();
for (int fold = 0; fold < folds; fold++)
{
    var train = scored.Where(s => s.Fold != fold).ToList();
    var test = scored.Where(s => s.Fold == fold).ToList();
    double threshold = train.Select(s => s.Distance).Where(double.IsFinite).Distinct()
        .MaxBy(t => train.Count(s => (s.Distance <= t) == s.Same));
    accuracies.Add(test.Count(s => (s.Distance <= threshold) == s.Same) / (double)test.Count);
}

double mean = accuracies.Average();
double std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / accuracies.Count);
double all = scored.Select(s => s.Distance).Where(double.IsFinite).Distinct().Max(t => scored.Count(s => (s.Distance <= t) == s.Same) / (double)scored.Count);
Console.WriteLine($"pack={pack.Name} jitter={encoder.Options.Jitter} pairs={scored.Count} images={images.Count} no-face={noFace}");
Console.WriteLine($"accuracy (10-fold) {mean:P2} +- {std:P2}; best single threshold over all pairs {all:P2}");
Console.WriteLine($"{images.Count / watch.Elapsed.TotalSeconds:0.0} photos/s on {Environment.ProcessorCount} cores ({images.Count / watch.Elapsed.TotalSeconds / Environment.ProcessorCount:0.0} per core)");

string Image(string name, string number) => Path.Combine(lfw, name, $"{name}_{int.Parse(number):0000}.jpg");

double Distance(float[]? a, float[]? b) => a is null || b is null
    ? double.PositiveInfinity
    : pack.Metric == DistanceMetric.Euclidean
        ? TensorPrimitives.Distance(a, b)
        : 1 - TensorPrimitives.CosineSimilarity(a, b);
