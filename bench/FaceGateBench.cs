#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
// The face-quality gate on data: which detections of pins-library and LFW (faceplugin pack) are not faces, and what
// each candidate gate removes. Reads LibraryBenchmark's encodings (artifacts/cache/faceplugin-<dataset>.faces; run
// `dotnet run -c Release bench/LibraryBenchmark.cs -- --encode-only true` first) and the labels in bench/non-faces.tsv.
//
// Usage: dotnet run -c Release bench/FaceGateBench.cs -- [--sheets <dir>] [--lfw <dir>|none] [--pins <dir>] [--labels <file>]
// --sheets DIR writes the candidates for labelling instead: DIR/candidates.tsv (one row per candidate, with its
// features) and contact sheets DIR/sheet-NN.png (80 crops each, numbered as the rows), to be looked at and labelled
// into bench/non-faces.tsv. Candidates: every detection with a detector score below 0.9, a side under 40 pixels, a box
// a third or more inside another face's box of its photo, or (the photo's largest face) a cosine distance above 0.6
// to the mean of its person's other largest faces; and every detection that is none of these but is the nearest
// face of a candidate already labelled not a face (non-faces lie close together).
//
// Without --sheets: for each gate (the engine's default, FaceQualityGate, and single measures at several cut-offs)
// the labelled non-faces it removes, the faces it removes (every detection not labelled not-a-face is a face), and, on
// pins-library clustered at the pack's defaults, the people made mostly of non-faces with and without the gate.
using System.Globalization;
using System.Numerics.Tensors;
using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Models;
using FaceCluster.Model;
using SkiaSharp;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string repository = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", ".."));
var options = new Dictionary<string, string>
{
    ["--lfw"] = Path.Combine(repository, "../shared/datasets/lfw-deepfunneled"),
    ["--pins"] = Path.Combine(repository, "../shared/datasets/pins-library"),
    ["--models"] = Path.Combine(repository, "artifacts/module/FaceCluster/models"),
    ["--labels"] = Path.Combine(repository, "bench/non-faces.tsv"),
    ["--sheets"] = "",
    ["--dump"] = "",
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!options.ContainsKey(args[i])) throw new ArgumentException($"Unknown option {args[i]}");
    options[args[i]] = args[i + 1];
}

var sets = new List<Detections> { Detections.Load(Path.GetFullPath(options["--pins"]), repository) };
if (options["--lfw"] != "none") sets.Add(Detections.Load(Path.GetFullPath(options["--lfw"]), repository));
var labels = Labels.Load(options["--labels"]);
var pack = ModelPackCatalog.Load(options["--models"]).Get("faceplugin");
var inPersonCache = new Dictionary<Detections, bool[]>();
if (options["--sheets"] is { Length: > 0 } sheets)
{
    Sheets(sheets);
    return;
}

if (options["--dump"] is { Length: > 0 } dump)
{
    Dump(dump);
    return;
}

Measure();

// Every detection the engine's gate removes, with its label and measures: for trying other cut-offs.
void Dump(string file)
{
    using var tsv = new StreamWriter(file);
    tsv.WriteLine("dataset\tindex\tlabel\tgate\tscore\tside\tratio\tdx\tdy\tinside\tlargest");
    foreach (Detections set in sets)
    {
        for (int i = 0; i < set.Faces.Count; i++)
        {
            if (Gated(set, i) is not { } gate) continue;
            FaceEncoding f = set.Faces[i];
            // The largest other face of the photo: the ratio of sides and the centre offset in its widths (heights).
            int j = set.PhotoFaces[i].Where(k => k != i).DefaultIfEmpty(i).MaxBy(k => set.Faces[k].Box.Area);
            FaceBox b = set.Faces[j].Box;
            tsv.WriteLine($"{set.Name}\t{i}\t{labels.Of(set, f)}\t{gate}\t{f.Confidence:0.000}\t{Side(f):0}\t{Side(f) / Side(set.Faces[j]):0.00}\t" +
                $"{Math.Abs(f.Box.CenterX - b.CenterX) / b.Width:0.00}\t{Math.Abs(f.Box.CenterY - b.CenterY) / b.Height:0.00}\t{set.Inside[i]:0.00}\t{set.IsLargest[i]}");
        }
    }
}

void Sheets(string folder)
{
    Directory.CreateDirectory(folder);
    var rows = new List<(Detections Set, int Face, string Why)>();
    foreach (Detections set in sets)
    {
        rows.AddRange(Candidates(set).Select(i => (set, i, Why(set, i))));
    }

    using (var tsv = new StreamWriter(Path.Combine(folder, "candidates.tsv")))
    {
        tsv.WriteLine("index\tdataset\tphoto\tface\tbox\tscore\tside\tinside\tfromPerson\tlargest\twhy\tlabel\tgate");
        for (int k = 0; k < rows.Count; k++)
        {
            (Detections set, int i, string why) = rows[k];
            FaceEncoding f = set.Faces[i];
            tsv.WriteLine($"{k}\t{set.Name}\t{set.Relative(f.Path)}\t{f.FaceIndex}\t{Box(f.Box)}\t{f.Confidence:0.000}\t{Math.Min(f.Box.Width, f.Box.Height):0}\t" +
                $"{set.Inside[i]:0.00}\t{set.FromPerson[i]:0.000}\t{set.IsLargest[i]}\t{why}\t{labels.Of(set, f)}\t{Gated(set, i)}");
        }
    }

    // The sheets show the candidates not labelled yet, numbered as in candidates.tsv, those the engine's gate removes first.
    var unlabelled = Enumerable.Range(0, rows.Count).Where(k => labels.Of(rows[k].Set, rows[k].Set.Faces[rows[k].Face]) == "")
        .OrderBy(k => Gated(rows[k].Set, rows[k].Face) is null).ThenBy(k => k).ToArray();
    const int columns = 10, perSheet = 80, tile = 128, caption = 18;
    using var font = new SKFont(SKTypeface.Default, 15);
    using var ink = new SKPaint { Color = SKColors.Yellow, IsAntialias = true };
    using var back = new SKPaint { Color = new SKColor(0, 0, 0, 200) };
    for (int start = 0; start < unlabelled.Length; start += perSheet)
    {
        int count = Math.Min(perSheet, unlabelled.Length - start);
        using var sheet = new SKBitmap(columns * tile, (count + columns - 1) / columns * (tile + caption));
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(SKColors.DimGray);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, k =>
        {
            (Detections set, int i, _) = rows[unlabelled[start + k]];
            byte[] jpeg = FaceCropper.CropJpeg(set.Faces[i].Path, set.Faces[i].Box, tile, margin: 0.15f);
            using var crop = SKBitmap.Decode(jpeg);
            lock (canvas)
            {
                float x = k % columns * tile, y = k / columns * (tile + caption);
                canvas.DrawBitmap(crop, x, y);
                canvas.DrawRect(x, y + tile, tile, caption, back);
                canvas.DrawText($"{unlabelled[start + k]} {set.Faces[i].Confidence:0.00}{(Gated(set, i) is null ? "" : " G")}", x + 3, y + tile + 14, font, ink);
            }
        });
        using var png = sheet.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(Path.Combine(folder, $"sheet-{start / perSheet:00}.png"), png.ToArray());
    }

    Console.WriteLine($"{rows.Count} candidates: {string.Join(", ", rows.GroupBy(r => r.Set.Name).Select(g => $"{g.Key} {g.Count()}"))}; " +
        $"by reason: {string.Join(", ", rows.SelectMany(r => r.Why.Split('+')).GroupBy(w => w).Select(g => $"{g.Key} {g.Count()}"))}; " +
        $"{unlabelled.Length} not labelled yet, on the sheets in {folder}");
}

void Measure()
{
    var gates = new List<(string Name, Func<Detections, int, bool> Removes)>();
    foreach (float t in new[] { 0.75f, 0.8f, 0.85f, 0.9f, 0.95f }) gates.Add(($"score < {t}", (d, i) => d.Faces[i].Confidence < t));
    foreach (int s in new[] { 24, 32, 40, 48 }) gates.Add(($"side < {s} px", (d, i) => Side(d.Faces[i]) < s));
    foreach (double r in new[] { 0.25, 0.33, 0.5 }) gates.Add(($"side < {r} of the photo's largest", (d, i) => d.SideToLargest[i] < r));
    foreach (double r in new[] { 0.25, 0.5 }) gates.Add(($"inside another face >= {r}", (d, i) => d.Inside[i] >= r));
    foreach (double r in new[] { 0.33, 0.5 })
    {
        foreach (double grow in new[] { 0.25, 0.5, 1.0 })
        {
            gates.Add(($"side < {r} of a face whose box grown by {grow} of its side holds its centre", (d, i) => d.Beside(i, r, grow)));
            gates.Add(($"that (side {r}, grown {grow}) or score < 0.8", (d, i) => d.Beside(i, r, grow) || d.Faces[i].Confidence < 0.8f));
        }
    }

    Console.WriteLine("| gate | dataset | non-faces removed | duplicates removed | faces removed: labelled, never a candidate | unsure removed | not labelled removed | " +
        "largest faces removed | removed faces that were in a person without the gate | people mostly of non-faces (of people) |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    gates.Insert(0, ("none", (_, _) => false));
    gates.Insert(1, ("the engine's default (FaceQualityGate)", (d, i) => Gated(d, i) is not null));
    var first = new FaceQualityGate { FragmentBesideSide = 0.5, MinConfidence = 0.8f }; // the first choice
    gates.Insert(2, ("the first choice: beside a face under 0.5 of its side too, score below 0.8", (d, i) => first.Check(d.Faces[i], d.PhotoFaces[i].Select(j => d.Faces[j])) is not null));
    foreach (float score in new[] { 0.75f, 0.8f })
    {
        var lower = FaceQualityGate.Default with { MinConfidence = score };
        gates.Insert(3, ($"the engine's rule with a score below {score}", (d, i) => lower.Check(d.Faces[i], d.PhotoFaces[i].Select(j => d.Faces[j])) is not null));
    }
    foreach ((string name, var removes) in gates)
    {
        foreach (Detections set in sets.Where(s => s == sets[0] || name.StartsWith("the ", StringComparison.Ordinal)))
        {
            var removed = Enumerable.Range(0, set.Faces.Count).Where(i => removes(set, i)).ToArray();
            string[] label = set.Faces.Select(f => labels.Of(set, f)).ToArray();
            int Count(string l) => label.Count(x => x == l);
            int Removed(string l) => removed.Count(i => label[i] == l);
            // A detection never a candidate is a face; a candidate not labelled (LFW's) is counted apart.
            var candidates = Candidates(set).ToHashSet();
            bool IsFace(int i) => label[i] == "face" || label[i] == "" && !candidates.Contains(i);
            var inPerson = InPerson(set);
            Console.WriteLine($"| {name} | {set.Name} | {Removed("not-a-face")}/{Count("not-a-face")} | {Removed("duplicate")}/{Count("duplicate")} | " +
                $"{removed.Count(i => label[i] == "face")}, {removed.Count(i => IsFace(i) && label[i] == "")} of {Enumerable.Range(0, label.Length).Count(IsFace)} | " +
                $"{Removed("unsure")} | {removed.Count(i => label[i] == "" && candidates.Contains(i))} | {removed.Count(i => set.IsLargest[i] && IsFace(i))} | " +
                $"{removed.Count(i => label[i] is "" or "face" && inPerson[i])} | {NonFacePeople(set, label, removed.ToHashSet())} |");
        }
    }
}

// Clusters the faces the gate keeps at the pack's defaults: the people (not doubtful) more than half of whose faces are
// labelled not a face or a duplicate box.
string NonFacePeople(Detections set, string[] label, HashSet<int> removed)
{
    var kept = Enumerable.Range(0, set.Faces.Count).Where(i => !removed.Contains(i)).ToArray();
    var index = kept.Select((i, k) => (i, k)).ToDictionary(x => (set.Faces[x.i].Path, set.Faces[x.i].FaceIndex), x => x.i);
    var groups = new FaceClusterer().Cluster(kept.Select(i => set.Faces[i]).ToArray(), Defaults());
    var people = groups.Where(g => !g.IsDoubtful).ToArray();
    int bad = people.Count(g => g.Faces.Count(f => label[index[(f.Path, f.FaceIndex)]] is "not-a-face" or "duplicate") * 2 > g.Faces.Count());
    return $"{bad} ({people.Length})";
}

// Why a detection is a candidate for labelling ("" when it is none).
string Why(Detections set, int i)
{
    var why = new List<string>();
    if (set.Faces[i].Confidence < 0.9f) why.Add("score");
    if (Math.Min(set.Faces[i].Box.Width, set.Faces[i].Box.Height) < 40) why.Add("small");
    if (set.Inside[i] >= 1 / 3.0) why.Add("inside");
    if (set.IsLargest[i] && set.FromPerson[i] > 0.6) why.Add("far");
    if (why.Count == 0 && set.NearestFace[i] is int n and >= 0 && labels.IsNonFace(set, n)) why.Add("near-non-face");
    return string.Join('+', why);
}

IEnumerable<int> Candidates(Detections set) => Enumerable.Range(0, set.Faces.Count).Where(i => Why(set, i).Length > 0);

// Whether each detection is in a person when every detection is clustered at the pack's defaults (cached per dataset).
bool[] InPerson(Detections set)
{
    if (inPersonCache.TryGetValue(set, out bool[]? known)) return known;
    var index = Enumerable.Range(0, set.Faces.Count).ToDictionary(i => (set.Faces[i].Path, set.Faces[i].FaceIndex));
    var result = new bool[set.Faces.Count];
    foreach (FaceGroup g in new FaceClusterer().Cluster(set.Faces, Defaults()).Where(g => !g.IsDoubtful))
    {
        foreach (FaceEncoding f in g.Faces) result[index[(f.Path, f.FaceIndex)]] = true;
    }

    return inPersonCache[set] = result;
}

FaceClusteringOptions Defaults() => new()
{
    Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = pack.LinkageThreshold, Metric = pack.Metric, LibraryThreshold = pack.LibraryThreshold,
    QualityGate = null, // a gate measured removes its faces itself
};

static FaceGateReason? Gated(Detections set, int i) => FaceQualityGate.Default.Check(set.Faces[i], set.PhotoFaces[i].Select(j => set.Faces[j]));

static float Side(FaceEncoding f) => Math.Min(f.Box.Width, f.Box.Height);

static string Box(FaceBox b) => $"{b.X:0},{b.Y:0},{b.Width:0},{b.Height:0}";

/// <summary>The labelled detections of bench/non-faces.tsv: dataset, photo (relative to the dataset root), face index, label.</summary>
sealed class Labels
{
    private readonly Dictionary<(string Dataset, string Photo, int Face), string> _labels = new();

    public static Labels Load(string path)
    {
        var result = new Labels();
        if (!File.Exists(path)) return result;
        foreach (string line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0 && l[0] != '#'))
        {
            string[] cells = line.Split('\t');
            result._labels[(cells[0], cells[1], int.Parse(cells[2]))] = cells[4];
        }

        return result;
    }

    public string Of(Detections set, FaceEncoding face) => _labels.GetValueOrDefault((set.Name, set.Relative(face.Path), face.FaceIndex)) ?? "";

    public bool IsNonFace(Detections set, int face) => Of(set, set.Faces[face]) == "not-a-face";
}

/// <summary>One dataset's detections (LibraryBenchmark's cache) with the measures the candidates are chosen by.</summary>
sealed class Detections
{
    public required string Name { get; init; }
    public required string Root { get; init; }
    public required List<FaceEncoding> Faces { get; init; }
    public required GroundTruth Truth { get; init; }

    /// <summary>The share of the box inside the box of another, larger face of its photo (0: none).</summary>
    public required double[] Inside { get; init; }

    /// <summary>The face's shorter side over the shorter side of its photo's largest face.</summary>
    public required double[] SideToLargest { get; init; }

    /// <summary>Whether the face is its photo's largest (the labelled person's, as the benchmarks score it).</summary>
    public required bool[] IsLargest { get; init; }

    /// <summary>Cosine distance to the mean of the other largest faces of its photo's person (NaN: none).</summary>
    public required double[] FromPerson { get; init; }

    /// <summary>The nearest face of another photo (cosine), -1 when there is none.</summary>
    public required int[] NearestFace { get; init; }

    /// <summary>Whether the face is at most <paramref name="ratio"/> of the side of another face of its photo and its centre
    /// lies in that face's box grown by <paramref name="grow"/> of its side on every side: an ear, an eye, a strand of hair.</summary>
    public bool Beside(int i, double ratio, double grow)
    {
        FaceBox a = Faces[i].Box;
        return PhotoFaces[i].Any(j => j != i && Side(a) < ratio * Side(Faces[j].Box) && Math.Abs(a.CenterX - Faces[j].Box.CenterX) <= (0.5 + grow) * Faces[j].Box.Width
            && Math.Abs(a.CenterY - Faces[j].Box.CenterY) <= (0.5 + grow) * Faces[j].Box.Height);
        static float Side(FaceBox b) => Math.Min(b.Width, b.Height);
    }

    public required int[][] PhotoFaces { get; init; }

    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    public static Detections Load(string root, string repository)
    {
        string name = new DirectoryInfo(root).Name;
        string cache = Path.Combine(repository, "artifacts/cache", $"faceplugin-{name}.faces");
        List<FaceEncoding> faces = LoadCache(cache);
        var truth = GroundTruth.FromFolderTree(root);
        var byPhoto = faces.Select((f, i) => (f, i)).ToLookup(x => x.f.Path, x => x.i);
        var inside = new double[faces.Count];
        var photoFaces = new int[faces.Count][];
        var largest = new bool[faces.Count];
        var relative = new double[faces.Count];
        foreach (var photo in byPhoto)
        {
            int[] members = photo.ToArray();
            foreach (int i in members) photoFaces[i] = members;
            int first = members.OrderByDescending(i => faces[i].Box.Area).ThenBy(i => faces[i].FaceIndex).First();
            largest[first] = true;
            foreach (int i in members)
            {
                relative[i] = Math.Min(faces[i].Box.Width, faces[i].Box.Height) / Math.Min(faces[first].Box.Width, faces[first].Box.Height);
                inside[i] = members.Where(j => j != i && faces[j].Box.Area > faces[i].Box.Area)
                    .Select(j => Overlap(faces[i].Box, faces[j].Box) / faces[i].Box.Area).DefaultIfEmpty(0).Max();
            }
        }

        // Each person's sum of unit largest-face vectors, less the face itself, gives its distance to the others' mean.
        var sums = new Dictionary<string, (float[] Sum, int Count)>();
        for (int i = 0; i < faces.Count; i++)
        {
            if (!largest[i]) continue;
            string person = truth.IdentityByPath[faces[i].Path];
            var (sum, count) = sums.TryGetValue(person, out var s) ? s : (new float[faces[i].Vector.Length], 0);
            TensorPrimitives.Add(sum, faces[i].Vector, sum);
            sums[person] = (sum, count + 1);
        }

        var fromPerson = new double[faces.Count];
        for (int i = 0; i < faces.Count; i++)
        {
            var (sum, count) = sums.GetValueOrDefault(truth.IdentityByPath[faces[i].Path]);
            float[] others = (float[])sum?.Clone()!;
            if (others is null || count - (largest[i] ? 1 : 0) == 0)
            {
                fromPerson[i] = double.NaN;
                continue;
            }

            if (largest[i]) TensorPrimitives.Subtract(others, faces[i].Vector, others);
            fromPerson[i] = 1 - TensorPrimitives.CosineSimilarity(others, faces[i].Vector);
        }

        var nearest = new int[faces.Count];
        Parallel.For(0, faces.Count, i =>
        {
            (int best, float similarity) = (-1, float.MinValue);
            for (int j = 0; j < faces.Count; j++)
            {
                if (faces[j].Path == faces[i].Path) continue;
                float s = TensorPrimitives.Dot(faces[i].Vector, faces[j].Vector);
                if (s > similarity) (best, similarity) = (j, s);
            }

            nearest[i] = best;
        });
        Console.WriteLine($"{name}: {truth.IdentityByPath.Count} photos, {faces.Count} detections");
        return new Detections { Name = name, Root = root, Faces = faces, Truth = truth, PhotoFaces = photoFaces, Inside = inside, SideToLargest = relative, IsLargest = largest, FromPerson = fromPerson, NearestFace = nearest };
    }

    private static double Overlap(FaceBox a, FaceBox b) =>
        Math.Max(0, Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X)) * (double)Math.Max(0, Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y));

    // LibraryBenchmark's cache format (Dataset.SaveCache there).
    private static List<FaceEncoding> LoadCache(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32();
        var faces = new List<FaceEncoding>(count);
        for (int i = 0; i < count; i++)
        {
            string photo = reader.ReadString();
            int index = reader.ReadInt32();
            reader.ReadBoolean();
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
