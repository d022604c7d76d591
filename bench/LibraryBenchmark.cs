#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
// Clustering benchmark on photo libraries of several shapes built from two folder-per-person datasets, LFW and
// pins-library: encodes every photo once with a model pack (cached under artifacts/cache/), then clusters each library
// with each method at the pack's defaults and over a sweep of fixed thresholds (the best of which is the "oracle"), and
// scores every clustering with the scorer behind Measure-FaceCluster.
//
// Every face found is clustered (a library has background faces too); the largest face of each photo is scored against
// the photo's folder, as Measure-FaceCluster does by default. Photos without a face are counted and left out.
//
// Libraries ("shapes"): pins-few (pins people with more than 20 photos: 21 people, 86 to 237 each), pins-many (the 84
// with 15), pins-all (both), pins+strangers (pins-all plus LFW's one-photo people whose names pins does not have),
// family1..family5 (5 to 15 random pins people each, seed 2026), lfw-all, lfw-largest (LFW's 20 most photographed
// people plus its one-photo people), lfw-many (LFW people with 2 to 10 photos).
//
// Usage: dotnet run -c Release bench/LibraryBenchmark.cs -- [--pack faceplugin] [--lfw <dir>|none] [--pins <dir>] [--models <dir>]
//            [--shapes all|name,...] [--methods linkage,dbscan] [--step 0.01] [--encode-only true] [--calibrate true]
//            [--stability true] [--hints true] [--ceiling-quantile 0.001] [--false-pair-share 0.2] [--pair-share 0.00015]
//            [--definition <file>] [--search auto|exact|approximate] [--oracle true|false]
// --search forces the neighbour search of the default clustering (issue 22); --oracle false leaves the sweeps out.
// --calibrate prints packs.json's "libraryThreshold.differentPeople" table, the between-people distances, the ceiling and
// the pair threshold from both datasets' labelled faces instead (and writes them into --definition). --stability measures people across runs on pins-library instead (see Stability below).
// --hints measures the review hints on the pins shapes instead (see Hints below).
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using FaceCluster.Engine.Calibration;
using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Engine.Review;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Models;
using FaceCluster.Model;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string repository = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", ".."));
var options = new Dictionary<string, string>
{
    ["--pack"] = "faceplugin",
    ["--lfw"] = Path.Combine(repository, "../shared/datasets/lfw-deepfunneled"),
    ["--pins"] = Path.Combine(repository, "../shared/datasets/pins-library"),
    ["--models"] = Path.Combine(repository, "artifacts/module/FaceCluster/models"),
    ["--shapes"] = "all",
    ["--methods"] = "linkage,dbscan",
    ["--step"] = "0.01",
    ["--encode-only"] = "false",
    ["--calibrate"] = "false",
    ["--stability"] = "false",
    ["--hints"] = "false",
    ["--ceiling-quantile"] = "0.001",
    ["--false-pair-share"] = "0.2",
    ["--pair-share"] = "0.00015",
    ["--definition"] = "",
    ["--search"] = "auto",
    ["--oracle"] = "true",
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!options.ContainsKey(args[i])) throw new ArgumentException($"Unknown option {args[i]}");
    options[args[i]] = args[i + 1];
}

// The built-in packs and those the user installed with Install-FaceModelPack ($FACECLUSTER_PACKS or the per-user folder).
var builtIn = ModelPackCatalog.Load(options["--models"]);
var pack = builtIn.Including(new InstalledModelPacks(InstalledModelPacks.DefaultRoot(), builtIn).Packs(out _)).Get(options["--pack"]);
bool cosine = pack.Metric == DistanceMetric.Cosine;
var pins = Dataset.Load(pack, Path.GetFullPath(options["--pins"]), repository);
if (bool.Parse(options["--stability"]))
{
    Stability();
    return;
}

if (bool.Parse(options["--hints"]))
{
    Hints();
    return;
}

Dataset? lfw = options["--lfw"] == "none" ? null : Dataset.Load(pack, Path.GetFullPath(options["--lfw"]), repository);
if (bool.Parse(options["--encode-only"])) return;
if (bool.Parse(options["--calibrate"]))
{
    Calibrate();
    return;
}

var truth = GroundTruth.Combine(lfw is null ? [pins.Truth] : [pins.Truth, lfw.Truth]);
var shapes = Shapes();
var wanted = options["--shapes"] == "all" ? shapes.Keys.ToArray() : options["--shapes"].Split(',');
double step = double.Parse(options["--step"]);
Console.WriteLine($"pack={pack.Name}; defaults: average linkage pair threshold {pack.LinkageThreshold}, group threshold by the library rule " +
    $"(ceiling {pack.LibraryThreshold?.MaxThreshold}, false-pair share {pack.LibraryThreshold?.FalsePairShare}); DBSCAN epsilon {pack.Epsilon}, min samples {pack.MinSamples}");
Console.WriteLine();
Console.WriteLine("| library | photos | faces | people | method | default threshold | default pairwise F1 (P / R) | default BCubed F1 | clusters + doubtful | oracle threshold | oracle pairwise F1 | oracle BCubed F1 | default - oracle | fixed pack threshold: pairwise / BCubed F1 | seconds (default) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (string name in wanted)
{
    List<FaceEncoding> faces = shapes[name];
    int photos = faces.Select(f => f.Path).Distinct().Count();
    int people = faces.Select(f => truth.IdentityByPath[f.Path]).Distinct().Count();
    foreach (string method in options["--methods"].Split(','))
    {
        bool dbscan = method == "dbscan";
        var defaults = new FaceClusteringOptions
        {
            Algorithm = dbscan ? ClusteringAlgorithm.Dbscan : ClusteringAlgorithm.AverageLinkage,
            Epsilon = dbscan ? pack.Epsilon : pack.LinkageThreshold,
            MinSamples = pack.MinSamples,
            Metric = pack.Metric,
            LibraryThreshold = dbscan ? null : pack.LibraryThreshold,
            NeighbourSearch = Enum.Parse<NeighbourSearch>(options["--search"], ignoreCase: true),
        };
        var clusterer = new FaceClusterer();
        var watch = Stopwatch.StartNew();
        var groups = clusterer.Cluster(faces, defaults);
        double seconds = watch.Elapsed.TotalSeconds;
        ClusteringScore score = Score(groups);
        string threshold = clusterer.GroupThreshold is double g ? $"{defaults.Epsilon:0.00} / {g:0.00}" : $"{defaults.Epsilon:0.00}";
        (double from, double to) = (dbscan, cosine) switch
        {
            (true, true) => (0.35, 0.55),
            (true, false) => (0.30, 0.50),
            (false, true) => (0.45, 0.85),
            (false, false) => (0.40, 0.70),
        };
        (double bestEpsilon, ClusteringScore best) = (0, score with { PairwiseF1 = -1 });
        ClusteringScore? atPackThreshold = null; // the one fixed threshold the pack had before the library rule
        for (double e = from; bool.Parse(options["--oracle"]) && e <= to + 1e-9; e = Math.Round(e + step, 4))
        {
            var fixedOptions = new FaceClusteringOptions { Algorithm = defaults.Algorithm, Epsilon = e, MinSamples = defaults.MinSamples, Metric = defaults.Metric };
            ClusteringScore s = Score(new FaceClusterer().Cluster(faces, fixedOptions));
            if (s.PairwiseF1 > best.PairwiseF1)
            {
                (bestEpsilon, best) = (e, s);
            }

            if (Math.Abs(e - defaults.Epsilon) < 1e-9)
            {
                atPackThreshold = s;
            }
        }

        Console.WriteLine($"| {name} | {photos} | {faces.Count} | {people} | {(dbscan ? "DBSCAN" : "average linkage")} | {threshold} | " +
            $"{score.PairwiseF1:0.000} ({score.PairwisePrecision:0.000} / {score.PairwiseRecall:0.000}) | {score.BCubedF1:0.000} | " +
            $"{score.ClusterCount} + {score.DoubtfulShare:P0} | {bestEpsilon:0.00} | {best.PairwiseF1:0.000} | {best.BCubedF1:0.000} | " +
            $"{Signed(score.PairwiseF1 - best.PairwiseF1)} | {(atPackThreshold is { } p ? $"{p.PairwiseF1:0.000} / {p.BCubedF1:0.000}" : "")} | {seconds:0.0} ({clusterer.Search?.Path}) |");
    }
}

static string Signed(double x) => Math.Round(x, 3) is var r && r >= 0 ? $"+{r:0.000}" : $"{r:0.000}";

ClusteringScore Score(IReadOnlyList<FaceGroup> groups) => ClusteringScorer.Score(
    groups.SelectMany(g => g.Members.Select(m => new ScoredFace(m.Face.Path, m.Face.FaceIndex, g.Id, m.Face.Box.Width * m.Face.Box.Height))),
    truth, out _);

static List<FaceEncoding> Of(Dataset set, Func<string, bool> person) => set.Faces.Where(f => person(set.Truth.IdentityByPath[f.Path])).ToList();

Dictionary<string, List<FaceEncoding>> Shapes()
{
    var pinsNames = pins.PhotosPerPerson.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
    var result = PinsShapes();
    if (lfw is null) return result; // --lfw none: the pins-library libraries only
    Dictionary<string, int> lfwCount = lfw.PhotosPerPerson;
    var top20 = lfwCount.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(20).Select(p => p.Key).ToHashSet();
    result["pins+strangers"] = [.. pins.Faces, .. Of(lfw, p => lfwCount[p] == 1 && !pinsNames.Contains(p))];
    result["lfw-all"] = lfw.Faces;
    result["lfw-largest"] = Of(lfw, p => top20.Contains(p) || lfwCount[p] == 1);
    result["lfw-many"] = Of(lfw, p => lfwCount[p] is >= 2 and <= 10);
    return result;
}

/// <summary>The shapes made of pins-library alone (pins-few, pins-many, pins-all, family1..family5), in that order.</summary>
Dictionary<string, List<FaceEncoding>> PinsShapes()
{
    Dictionary<string, int> pinsCount = pins.PhotosPerPerson;
    var result = new Dictionary<string, List<FaceEncoding>>
    {
        ["pins-few"] = Of(pins, p => pinsCount[p] > 20),
        ["pins-many"] = Of(pins, p => pinsCount[p] <= 20),
        ["pins-all"] = pins.Faces,
    };
    var random = new Random(2026);
    string[] people = pinsCount.Keys.Order(StringComparer.Ordinal).ToArray();
    for (int k = 1; k <= 5; k++)
    {
        var family = people.OrderBy(_ => random.Next()).Take(random.Next(5, 16)).ToHashSet();
        result[$"family{k}"] = Of(pins, family.Contains);
    }

    return result;
}

// The table of packs.json's libraryThreshold.differentPeople, the ceiling and the pair threshold, measured by the engine's
// PackCalibrator (as Update-FaceModelPackCalibration does) on both datasets' labelled faces; the ceiling on pins-library
// alone, the library-shaped set. --definition FILE writes them into that pack definition, as the cmdlet does.
void Calibrate()
{
    var calibrationOptions = new PackCalibrationOptions
    {
        CeilingQuantile = double.Parse(options["--ceiling-quantile"]),
        FalsePairShare = double.Parse(options["--false-pair-share"]),
        PairShare = double.Parse(options["--pair-share"]),
    };
    var sets = new List<LabelledSet> { new(pins.Root, pins.Truth, Ceiling: true) };
    if (lfw is not null) sets.Add(new LabelledSet(lfw.Root, lfw.Truth, Ceiling: false));
    ModelPackCalibration c = PackCalibrator.Calibrate([.. pins.Faces, .. lfw?.Faces ?? []], sets, pack.Metric, calibrationOptions);
    foreach (CalibrationSetSummary set in c.Sets)
    {
        Console.WriteLine($"{new DirectoryInfo(set.Path).Name}: {set.PeoplePairs} pairs of people with 10 or more photos; their average-linkage distance: " +
            $"0.1% quantile {set.Quantile001:0.000}, 0.5% quantile {set.Quantile005:0.000}, 1.0% quantile {set.Quantile01:0.000}, 5.0% quantile {set.Quantile05:0.000}, lowest {set.Lowest:0.000}");
    }

    Console.WriteLine($"{c.DifferentPeoplePairs} pairs of different people; table from {c.DistanceFrom} in steps of {c.DistanceStep}:");
    Console.WriteLine("\"differentPeople\": { \"from\": " + c.DistanceFrom + ", \"step\": " + c.DistanceStep + ", \"shareAtOrBelow\": [" +
        string.Join(", ", c.ShareAtOrBelow.Select(s => s.ToString("G3"))) + "] }");
    Console.WriteLine($"ceiling (maxThreshold, {c.CeilingQuantile:P1} quantile on the step grid) {c.MaxThreshold}; pair threshold (linkageThreshold, share <= {c.PairShare}) {c.LinkageThreshold}; falsePairShare {c.FalsePairShare}");
    if (options["--definition"] is { Length: > 0 } definition)
    {
        File.WriteAllText(definition, PackDefinitionWriter.Apply(File.ReadAllText(definition), c));
        Console.WriteLine($"wrote {definition}");
    }
}

// Stability across runs: pins-library less about 5% of its photos (each photo left out with probability 0.05, seed 2026)
// is clustered at the pack's defaults and its faces.json made (in memory, as Export-FaceCluster would write it); then
// every photo is clustered again, with that faces.json as -Previous and without. Counts the earlier faces (those in a
// person) that keep their person id, and the earlier photos whose folders change (what a sync would move).
void Stability()
{
    var random = new Random(2026);
    string[] photos = pins.Faces.Select(f => f.Path).Distinct().Order(StringComparer.Ordinal).ToArray();
    var added = photos.Where(_ => random.NextDouble() < 0.05).ToHashSet();
    var earlier = pins.Faces.Where(f => !added.Contains(f.Path)).ToList();
    FaceClusteringOptions Defaults(PersonHistory? previous) => new()
    {
        Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = pack.LinkageThreshold, Metric = pack.Metric,
        LibraryThreshold = pack.LibraryThreshold, Previous = previous,
    };
    string folder = Path.Combine(Path.GetTempPath(), "stability");
    var watch = Stopwatch.StartNew();
    var firstClusterer = new FaceClusterer();
    var first = firstClusterer.Cluster(earlier, Defaults(null));
    double firstSeconds = watch.Elapsed.TotalSeconds;
    FaceManifest before = ExportPlanner.Plan(first, folder, ExportMode.Copy).Manifest;
    var clusterer = new FaceClusterer();
    watch.Restart();
    var second = clusterer.Cluster(pins.Faces, Defaults(PersonHistory.Resolve(before, PersonCorrections.Empty, [])));
    double secondSeconds = watch.Elapsed.TotalSeconds;
    var plain = new FaceClusterer().Cluster(pins.Faces, Defaults(null));

    Dictionary<(string, int), int> Ids(IEnumerable<FaceGroup> groups) =>
        groups.SelectMany(g => g.Members.Select(m => (Key: (m.Face.Path, m.Face.FaceIndex), g.Id))).ToDictionary(x => x.Key, x => x.Id);
    var was = Ids(first).Where(p => p.Value >= 0).ToArray();
    Dictionary<(string, int), int> now = Ids(second), renumbered = Ids(plain);
    int kept = was.Count(p => now[p.Key] == p.Value), keptPlain = was.Count(p => renumbered[p.Key] == p.Value);
    var earlierIds = before.Clusters.Select(c => c.Id).ToHashSet();
    int nowDoubtful = was.Count(p => now[p.Key] < 0), nowOther = was.Count(p => now[p.Key] >= 0 && now[p.Key] != p.Value && earlierIds.Contains(now[p.Key]));
    ILookup<string, string> Folders(FaceManifest m) => m.Faces.ToLookup(f => f.Path, f => f.Destination[..f.Destination.IndexOf('/')]);
    ILookup<string, string> foldersBefore = Folders(before), foldersAfter = Folders(ExportPlanner.Plan(second, folder, ExportMode.Copy).Manifest);
    int moved = photos.Where(p => !added.Contains(p) && foldersBefore.Contains(p))
        .Count(p => !foldersBefore[p].Order(StringComparer.Ordinal).SequenceEqual(foldersAfter[p].Order(StringComparer.Ordinal), StringComparer.Ordinal));
    int people(IEnumerable<FaceGroup> g) => g.Count(x => !x.IsDoubtful);
    Console.WriteLine($"pack={pack.Name}; first run: {photos.Length - added.Count} photos, {earlier.Count} faces, {people(first)} people, group threshold {firstClusterer.GroupThreshold:0.000}, {firstSeconds:0.0} s; " +
        $"rerun: +{added.Count} photos ({(double)added.Count / (photos.Length - added.Count):P1}), {pins.Faces.Count} faces, {people(second)} people, group threshold {clusterer.GroupThreshold:0.000}, {secondSeconds:0.0} s");
    Console.WriteLine($"earlier faces in a person: {was.Length}; keep their person id with -Previous: {kept} ({(double)kept / was.Length:P2}); " +
        $"keep their cluster number without: {keptPlain} ({(double)keptPlain / was.Length:P2}); of the others, {nowDoubtful} are doubtful, " +
        $"{nowOther} in another earlier person, {was.Length - kept - nowDoubtful - nowOther} in a new person");
    Console.WriteLine($"new people: {second.Count(g => !g.IsDoubtful && !before.Clusters.Any(c => c.Id == g.Id))}; " +
        $"notices: {string.Join(", ", clusterer.Notices.GroupBy(n => n.Code).Select(g => $"{g.Key} {g.Count()}"))}; " +
        $"earlier photos whose folders change: {moved} of {photos.Length - added.Count}");
}

// The review hints against the folders, on each pins shape clustered at the pack's defaults. A face is labelled when it
// is the largest of its photo (the one Measure-FaceCluster scores); a person's home is the cluster holding most of
// their labelled faces (ties: the lower id), and a cluster belongs to the person most of whose labelled faces it holds.
// Nearest person: of the doubtful labelled faces whose person has a home, the share whose NearestClusterId is that
// home. Most alike person: of the clusters that belong to a person whose home is another cluster (the small pieces of
// a split person), the share whose NearestPeople hint is that home. Alongside the engine's answers, the same shares
// for other ways of ranking the clusters, over unit vectors (cosine) or the vectors (Euclidean):
// mean = the distance to the members' mean (the average-linkage distance for cosine's unit mean: 1 - x.m),
// unit mean = cosine to the mean's direction, nearest = the nearest member, k3 = the mean of the 3 nearest members;
// for the merge hint, over the piece's faces: the distance of the means, or the nearest pairs (representative = the
// medoids' cosine, the hint before issue 20).
void Hints()
{
    var largest = pins.Largest().ToDictionary(f => (f.Face.Path, f.Face.FaceIndex), f => f.Person);
    string[] rankingNames = ["mean", "unit mean", "nearest", "k3"];
    string others = string.Join(" | ", rankingNames);
    Console.WriteLine($"pack={pack.Name}; each pins shape at the defaults (average linkage, library rule)");
    Console.WriteLine($"| shape | people | clusters | doubtful labelled (with a home) | nearest person: engine | {others} | " +
        $"split people | small pieces | most alike: engine | representative | {others} |");
    Console.WriteLine("|---|---:|---:|---:|---:|" + string.Concat(rankingNames.Select(_ => "---:|")) + "---:|---:|---:|---:|" + string.Concat(rankingNames.Select(_ => "---:|")));
    foreach ((string name, List<FaceEncoding> faces) in PinsShapes())
    {
        var groups = new FaceClusterer().Cluster(faces, new FaceClusteringOptions
        {
            Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = pack.LinkageThreshold, Metric = pack.Metric, LibraryThreshold = pack.LibraryThreshold,
        });
        FaceGroup[] people = groups.Where(g => !g.IsDoubtful).ToArray();
        string? Person(FaceEncoding f) => largest.TryGetValue((f.Path, f.FaceIndex), out string? p) ? p : null;
        var counts = people.SelectMany(g => g.Faces.Select(Person).OfType<string>().Select(p => (Person: p, g.Id))).GroupBy(x => x).ToDictionary(x => x.Key, x => x.Count());
        var home = counts.GroupBy(c => c.Key.Person).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Id).First().Key.Id);
        var owner = counts.GroupBy(c => c.Key.Id).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Person, StringComparer.Ordinal).First().Key.Person);
        var pieces = people.Where(g => owner.TryGetValue(g.Id, out string? p) && home[p] != g.Id).ToArray();
        var doubtful = groups.Where(g => g.IsDoubtful).SelectMany(g => g.Members).Where(m => Person(m.Face) is { } p && home.ContainsKey(p)).ToArray();

        float[][] means = people.Select(g => Mean(g.Faces.Select(f => f.Vector).ToArray())).ToArray();
        int[] ids = people.Select(g => g.Id).ToArray();
        // The cluster ranked first by a distance from the faces xs to cluster k (the cluster `except` left out), as an id.
        int First(Func<int, double> distance, int except = -1) => ids[Enumerable.Range(0, people.Length).Where(k => ids[k] != except).MinBy(distance)];
        double Nearest(float[][] xs, int k, int take) => xs.SelectMany(x => people[k].Faces.Select(f => Distance(x, f.Vector))).Order().Take(take).Average();
        Func<float[][], int, double>[] rankings = // in the order of rankingNames
        [
            (xs, k) => cosine ? 1 - TensorPrimitives.Dot(Mean(xs), means[k]) : Distance(Mean(xs), means[k]),
            (xs, k) => Distance(Mean(xs), means[k]),
            (xs, k) => Nearest(xs, k, 1),
            (xs, k) => Nearest(xs, k, 3),
        ];
        string Share(int hits, int of) => of == 0 ? "-" : $"{hits}/{of} ({(double)hits / of:P0})";
        var nearest = doubtful.Select(m => (m, Home: home[Person(m.Face)!])).ToArray();
        var alike = NearestPeople.Find(groups);
        var split = pieces.Select(g => (Piece: g, Home: home[owner[g.Id]], Faces: g.Faces.Select(f => f.Vector).ToArray())).ToArray();
        Console.WriteLine($"| {name} | {home.Count} | {people.Length} | {doubtful.Length} | " +
            Share(nearest.Count(n => n.m.NearestClusterId == n.Home), nearest.Length) + " | " +
            string.Join(" | ", rankings.Select(r => Share(nearest.Count(n => First(k => r([n.m.Face.Vector], k)) == n.Home), nearest.Length))) + " | " +
            $"{pieces.Select(g => owner[g.Id]).Distinct().Count()} | {pieces.Length} | " +
            Share(split.Count(s => alike.TryGetValue(s.Piece.Id, out int a) && a == s.Home), split.Length) + " | " +
            Share(split.Count(s => First(k => 1 - TensorPrimitives.CosineSimilarity(s.Piece.Representative!.Vector, people[k].Representative!.Vector), s.Piece.Id) == s.Home), split.Length) + " | " +
            string.Join(" | ", rankings.Select(r => Share(split.Count(s => First(k => r(s.Faces, k), s.Piece.Id) == s.Home), split.Length))) + " |");
    }
}

double Distance(float[] a, float[] b) => cosine ? 1 - TensorPrimitives.CosineSimilarity(a, b) : TensorPrimitives.Distance(a, b);
float[] Prepared(float[] v) => cosine ? v.Select(x => x / TensorPrimitives.Norm(v)).ToArray() : v;
float[] Mean(float[][] vectors) => Sum(vectors.Select(Prepared)).Select(x => x / vectors.Length).ToArray();
float[] Sum(IEnumerable<float[]> vectors)
{
    float[]? sum = null;
    foreach (float[] v in vectors)
    {
        sum ??= new float[v.Length];
        TensorPrimitives.Add(sum, v, sum);
    }

    return sum!;
}

/// <summary>One folder-per-person dataset encoded with the pack: every face, cached.</summary>
sealed class Dataset
{
    public required string Name { get; init; }
    public required string Root { get; init; }
    public required GroundTruth Truth { get; init; }
    public required List<FaceEncoding> Faces { get; init; }

    public Dictionary<string, int> PhotosPerPerson => Truth.IdentityByPath.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The largest face of each photo (ties: lowest index), with its person: the face the benchmark scores.</summary>
    public IEnumerable<(FaceEncoding Face, string Person)> Largest() => Faces.GroupBy(f => f.Path)
        .Select(g => g.OrderByDescending(f => f.Box.Width * f.Box.Height).ThenBy(f => f.FaceIndex).First())
        .Select(f => (f, Truth.IdentityByPath[f.Path]));

    public static Dataset Load(ModelPack pack, string data, string repository)
    {
        var truth = GroundTruth.FromFolderTree(data);
        string cache = Path.Combine(repository, "artifacts/cache", $"{pack.Name}-{new DirectoryInfo(data).Name}.faces");
        var faces = File.Exists(cache) ? LoadCache(cache) : EncodeAll(pack, truth, cache);
        int noFace = truth.IdentityByPath.Count - faces.Select(f => f.Path).Distinct().Count();
        Console.WriteLine($"{new DirectoryInfo(data).Name}: {truth.IdentityByPath.Count} photos of {truth.Identities.Count} people, {faces.Count} faces, {noFace} photos without a face");
        return new Dataset { Name = new DirectoryInfo(data).Name, Root = data, Truth = truth, Faces = faces };
    }

    private static List<FaceEncoding> EncodeAll(ModelPack pack, GroundTruth truth, string cache)
    {
        using var encoder = FaceEncoder.Create(pack, new FaceEncoderOptions());
        var photos = truth.IdentityByPath.Keys.Order(StringComparer.Ordinal).ToArray();
        var results = new IReadOnlyList<FaceEncoding>[photos.Length];
        var watch = Stopwatch.StartNew();
        int done = 0;
        Parallel.For(0, photos.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                results[i] = encoder.Encode(photos[i]);
            }
            catch (ImageDecodeException)
            {
                results[i] = [];
            }

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

    private static void SaveCache(string path, List<FaceEncoding> faces)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new BinaryWriter(File.Create(path + ".tmp"));
        writer.Write(faces.Count);
        foreach (FaceEncoding face in faces)
        {
            writer.Write(face.Path);
            writer.Write(face.FaceIndex);
            writer.Write(false); // formerly "central"; the format is kept so that earlier caches still load
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

    private static List<FaceEncoding> LoadCache(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32();
        var faces = new List<FaceEncoding>(count);
        for (int i = 0; i < count; i++)
        {
            string photo = reader.ReadString();
            int index = reader.ReadInt32();
            reader.ReadBoolean(); // formerly "central"
            string model = reader.ReadString();
            float confidence = reader.ReadSingle();
            int width = reader.ReadInt32(), height = reader.ReadInt32();
            var box = new FaceBox(reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle());
            var vector = new float[reader.ReadInt32()];
            for (int k = 0; k < vector.Length; k++) vector[k] = reader.ReadSingle();
            faces.Add(new FaceEncoding
            {
                Path = photo, FaceIndex = index, Box = box, Landmarks = [], Confidence = confidence, Vector = vector,
                Model = model, ImageWidth = width, ImageHeight = height,
            });
        }

        return faces;
    }
}
