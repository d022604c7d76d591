#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
// Clustering benchmark on photo "libraries" built from a folder-per-person dataset (LFW by default): encodes every
// photo once with a model pack (cached under artifacts/cache/), then clusters the faces with each algorithm over a
// sweep of thresholds and scores every clustering with the scorer behind Measure-FaceCluster.
//
// Every face found in a photo is clustered (a library has background faces too), but only the face nearest the
// photo's centre is scored against the photo's folder: LFW labels that face, not the people behind it. Photos where
// no face is found are counted and left out.
//
// Libraries: "all" (every photo of the dataset), "largest" (the 20 people with the most photos, all of their
// photos, plus every person with exactly one photo as distractors that should stay doubtful or alone), and "topN"
// (only the N people with the most photos, e.g. top20: a few people with many photos each, no strangers).
//
// Usage: dotnet run -c Release bench/LibraryBenchmark.cs -- [--pack faceplugin] [--data <dir>] [--models <dir>]
//            [--library all|largest|both|topN[,...]] [--sweep "dbscan[:2,5[:0.30-0.60-0.05]];linkage[:FROM-TO-STEP];nosplit"]
//            [--encode-only true]
using System.Diagnostics;
using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Models;
using FaceCluster.Model;

string repository = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", ".."));
var options = new Dictionary<string, string>
{
    ["--pack"] = "faceplugin",
    ["--data"] = "/work/shared/datasets/lfw-deepfunneled",
    ["--models"] = Path.Combine(repository, "artifacts/module/FaceCluster/models"),
    ["--library"] = "both",
    ["--sweep"] = "dbscan;linkage",
    ["--encode-only"] = "false",
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!options.ContainsKey(args[i])) throw new ArgumentException($"Unknown option {args[i]}");
    options[args[i]] = args[i + 1];
}

var pack = ModelPackCatalog.Load(options["--models"]).Get(options["--pack"]);
string data = Path.GetFullPath(options["--data"]);
var truth = GroundTruth.FromFolderTree(data);
string cache = Path.Combine(repository, "artifacts/cache", $"{pack.Name}-{new DirectoryInfo(data).Name}.faces");
var dataset = File.Exists(cache) ? LoadCache(cache) : EncodeAll();
int noFace = truth.IdentityByPath.Count - dataset.Select(f => f.Face.Path).Distinct().Count();
Console.WriteLine($"pack={pack.Name} data={data}: {truth.IdentityByPath.Count} photos, {dataset.Count} faces, {noFace} photos without a face");
if (bool.Parse(options["--encode-only"])) return;

var sweeps = options["--sweep"].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var libraries = options["--library"] switch
{
    "both" => new[] { "all", "largest" },
    var list => list.Split(','),
};
bool cosine = pack.Metric == DistanceMetric.Cosine;
foreach (string library in libraries)
{
    var faces = Library(library);
    var scored = faces.Where(f => f.Central).Select(f => f.Face).ToHashSet();
    int people = faces.Where(f => f.Central).Select(f => truth.IdentityByPath[f.Face.Path]).Distinct().Count();
    Console.WriteLine();
    Console.WriteLine($"library '{library}': {faces.Select(f => f.Face.Path).Distinct().Count()} photos, {faces.Count} faces ({scored.Count} scored), {people} people");
    Console.WriteLine("| library | algorithm | epsilon | min samples | pairwise P | pairwise R | pairwise F1 | BCubed P | BCubed R | BCubed F1 | clusters | doubtful | seconds |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    var encodings = faces.Select(f => f.Face).ToList();
    foreach (string sweep in sweeps)
    {
        foreach (FaceClusteringOptions setting in Settings(sweep))
        {
            var watch = Stopwatch.StartNew();
            var groups = new FaceClusterer().Cluster(encodings, setting);
            double seconds = watch.Elapsed.TotalSeconds;
            var score = ClusteringScorer.Score(
                groups.SelectMany(g => g.Members.Where(m => scored.Contains(m.Face)).Select(m => new ScoredFace(m.Face.Path, m.Face.FaceIndex, g.Id))),
                truth, out _);
            string second = setting.Algorithm == ClusteringAlgorithm.Dbscan ? $"{setting.MinSamples}" : "";
            Console.WriteLine($"| {library} | {setting.Algorithm}{(setting.SeparateSamePhoto ? "" : " (same photo allowed)")} | {setting.Epsilon:0.00} | {second} | {score.PairwisePrecision:0.000} | {score.PairwiseRecall:0.000} | {score.PairwiseF1:0.000} | {score.BCubedPrecision:0.000} | {score.BCubedRecall:0.000} | {score.BCubedF1:0.000} | {score.ClusterCount} | {score.DoubtfulShare:P1} | {seconds:0.0} |");
        }
    }
}

IEnumerable<FaceClusteringOptions> Settings(string sweep)
{
    string[] parts = sweep.Split(':');
    double[] Range(double from, double to, double step) =>
        Enumerable.Range(0, (int)Math.Round((to - from) / step) + 1).Select(k => Math.Round(from + k * step, 4)).ToArray();
    // FROM-TO-STEP, e.g. 0.50-0.60-0.01
    double[] Parse(string range) => range.Split('-').Select(double.Parse).ToArray() is [var from, var to, var step]
        ? Range(from, to, step)
        : throw new ArgumentException($"Epsilon range '{range}' is not FROM-TO-STEP.");
    switch (parts[0])
    {
        case "dbscan":
            // dbscan[:minSamples,...[:FROM-TO-STEP]]
            int[] minSamples = parts.Length > 1 ? parts[1].Split(',').Select(int.Parse).ToArray() : [2, 5, 10, 20];
            foreach (int m in minSamples)
                foreach (double e in parts.Length > 2 ? Parse(parts[2]) : cosine ? Range(0.30, 0.60, 0.05) : Range(0.35, 0.60, 0.05))
                    yield return new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.Dbscan, Epsilon = e, MinSamples = m, Metric = pack.Metric };
            break;
        case "linkage":
            // linkage[:FROM-TO-STEP]
            foreach (double e in parts.Length > 1 ? Parse(parts[1]) : cosine ? Range(0.40, 0.70, 0.05) : Range(0.35, 0.60, 0.05))
                yield return new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = e, Metric = pack.Metric };
            break;
        case "nosplit":
            // the same-photo rule switched off, at the pack's defaults, for both algorithms
            yield return new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.Dbscan, Epsilon = pack.Epsilon, MinSamples = pack.MinSamples, Metric = pack.Metric, SeparateSamePhoto = false };
            yield return new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = pack.LinkageThreshold, Metric = pack.Metric, SeparateSamePhoto = false };
            break;
        default:
            throw new ArgumentException($"Unknown sweep '{sweep}': dbscan[:m,...], linkage[:FROM-TO-STEP] or nosplit.");
    }
}

List<(FaceEncoding Face, bool Central)> Library(string name)
{
    if (name == "all") return dataset;
    int people = name.StartsWith("top", StringComparison.Ordinal) && int.TryParse(name[3..], out int n) && n > 0 ? n : 0;
    bool top = people > 0;
    if (!top && name != "largest") throw new ArgumentException($"Unknown library '{name}': all, largest or topN.");
    var photosPerPerson = truth.IdentityByPath.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count());
    var largest = photosPerPerson.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(top ? people : 20).Select(p => p.Key).ToHashSet();
    return dataset.Where(f => truth.IdentityByPath.TryGetValue(f.Face.Path, out var person) && (largest.Contains(person) || (!top && photosPerPerson[person] == 1))).ToList();
}

List<(FaceEncoding Face, bool Central)> EncodeAll()
{
    using var encoder = FaceEncoder.Create(pack, new FaceEncoderOptions());
    var photos = truth.IdentityByPath.Keys.Order(StringComparer.Ordinal).ToArray();
    var results = new List<(FaceEncoding, bool)>[photos.Length];
    var watch = Stopwatch.StartNew();
    int done = 0;
    Parallel.For(0, photos.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
    {
        IReadOnlyList<FaceEncoding> faces;
        try
        {
            faces = encoder.Encode(photos[i]);
        }
        catch (ImageDecodeException)
        {
            faces = [];
        }

        var central = faces.OrderBy(f => Math.Abs(f.Box.CenterX - (f.ImageWidth / 2f)) + Math.Abs(f.Box.CenterY - (f.ImageHeight / 2f))).FirstOrDefault();
        results[i] = faces.Select(f => (f, ReferenceEquals(f, central))).ToList();
        if (Interlocked.Increment(ref done) % 1000 == 0)
        {
            Console.Error.WriteLine($"{done}/{photos.Length} photos, {done / watch.Elapsed.TotalSeconds:0.0}/s");
        }
    });
    Console.WriteLine($"encoded {photos.Length} photos in {watch.Elapsed.TotalSeconds:0} s ({photos.Length / watch.Elapsed.TotalSeconds:0.0} photos/s on {Environment.ProcessorCount} cores)");
    var all = results.SelectMany(r => r).ToList();
    SaveCache(cache, all);
    return all;
}

static void SaveCache(string path, List<(FaceEncoding Face, bool Central)> faces)
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    using var writer = new BinaryWriter(File.Create(path + ".tmp"));
    writer.Write(faces.Count);
    foreach (var (face, central) in faces)
    {
        writer.Write(face.Path);
        writer.Write(face.FaceIndex);
        writer.Write(central);
        writer.Write(face.Model);
        writer.Write(face.Confidence);
        writer.Write(face.ImageWidth);
        writer.Write(face.ImageHeight);
        writer.Write(face.Box.X); writer.Write(face.Box.Y); writer.Write(face.Box.Width); writer.Write(face.Box.Height);
        writer.Write(face.Vector.Length);
        foreach (float v in face.Vector) writer.Write(v);
    }

    writer.Close();
    File.Move(path + ".tmp", path, overwrite: true);
}

static List<(FaceEncoding Face, bool Central)> LoadCache(string path)
{
    using var reader = new BinaryReader(File.OpenRead(path));
    int count = reader.ReadInt32();
    var faces = new List<(FaceEncoding, bool)>(count);
    for (int i = 0; i < count; i++)
    {
        string photo = reader.ReadString();
        int index = reader.ReadInt32();
        bool central = reader.ReadBoolean();
        string model = reader.ReadString();
        float confidence = reader.ReadSingle();
        int width = reader.ReadInt32(), height = reader.ReadInt32();
        var box = new FaceBox(reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle());
        var vector = new float[reader.ReadInt32()];
        for (int k = 0; k < vector.Length; k++) vector[k] = reader.ReadSingle();
        faces.Add((new FaceEncoding
        {
            Path = photo, FaceIndex = index, Box = box, Landmarks = [], Confidence = confidence, Vector = vector,
            Model = model, ImageWidth = width, ImageHeight = height,
        }, central));
    }

    return faces;
}
