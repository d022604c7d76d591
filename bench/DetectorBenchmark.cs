#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
// Face detector benchmark: recall and speed of the Ultra-Light detector (faceplugin pack, fr_detect.onnx) and of face-api's
// SSD MobileNet v1 as FaceCluster.ModelConverter converts it, measured in the same run on the same decoded photos.
//
// Photos: every photo of LFW (lfw-deepfunneled: each photo shows one labelled person, centred), and the six sample
// photos (the face count per photo is in packs.json "samples", counted by eye). Each photo is decoded once as
// Get-FaceEncoding decodes it (upright, longest side at most 1600) and given to both detectors one after the other, so
// a load that comes and goes on the machine slows both alike.
//
// Recall on LFW: photos where at least one face is found, and photos where a found box contains the photo's centre.
// Recall on the samples: faces found, counted up to the number by eye per photo (more is reported as extra).
// Speed: photos per second of detection alone (network input preparation, inference, decoding, suppression; not the
// JPEG decode), each ONNX session on one thread, --threads photos at a time; the rate is photos / summed detection
// time, i.e. per thread.
//
// Usage: dotnet run -c Release bench/DetectorBenchmark.cs -- [--lfw <lfw-deepfunneled dir>] [--models <dir>]
//            [--samples <dir>] [--threads 2] [--limit N] [--ultralight-confidence 0.7] [--ssd-confidence 0.5]
using System.Diagnostics;
using System.Text.Json;
using FaceCluster.Engine.Detection;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using SkiaSharp;

string root = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "..");
var options = new Dictionary<string, string>
{
    ["--lfw"] = Path.Combine(root, "../shared/datasets/lfw-deepfunneled"),
    ["--models"] = Path.Combine(root, "artifacts/module/FaceCluster/models"),
    ["--samples"] = Path.Combine(root, "artifacts/samples"),
    ["--threads"] = "2",
    ["--limit"] = "0",
    ["--ultralight-confidence"] = new FaceEncoderOptions().MinConfidence.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["--ssd-confidence"] = "0.5",
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!options.ContainsKey(args[i])) throw new ArgumentException($"Unknown option {args[i]}");
    options[args[i]] = args[i + 1];
}

string models = options["--models"];
int threads = int.Parse(options["--threads"]);
using var ultraLightModel = new OnnxModel(Path.Combine(models, "faceplugin", "fr_detect.onnx"), 1);
using var ssdModel = new OnnxModel(Path.Combine(models, "dlib", "ssd_mobilenetv1.onnx"), 1);
Detector[] detectors =
[
    new("Ultra-Light 320x240", new FaceDetector(ultraLightModel), float.Parse(options["--ultralight-confidence"], System.Globalization.CultureInfo.InvariantCulture)),
    new("SSD MobileNet v1 512x512", new SsdMobilenetV1Detector(ssdModel), float.Parse(options["--ssd-confidence"], System.Globalization.CultureInfo.InvariantCulture)),
];

string loadAtStart = File.ReadAllText("/proc/loadavg").Trim();

// The six samples with their face counts by eye (packs.json "samples").
using var packs = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(models, "packs.json")));
var samples = packs.RootElement.GetProperty("samples").GetProperty("files").EnumerateArray()
    .Select(f => (Path: Path.Combine(options["--samples"], f.GetProperty("name").GetString()!), Faces: f.GetProperty("faces").GetInt32()))
    .ToArray();
var sampleResults = Run(samples.Select(s => s.Path).ToArray());
Console.WriteLine($"Samples: {samples.Length} photos, {samples.Sum(s => s.Faces)} faces by eye; threads={threads}");
foreach (var (detector, d) in detectors.Select((detector, d) => (detector, d)))
{
    int found = samples.Select((s, p) => Math.Min(s.Faces, sampleResults.Faces[p][d].Count)).Sum();
    int extra = samples.Select((s, p) => Math.Max(0, sampleResults.Faces[p][d].Count - s.Faces)).Sum();
    string perPhoto = string.Join(",", samples.Select((_, p) => sampleResults.Faces[p][d].Count));
    Console.WriteLine($"  {detector.Name} (min confidence {detector.MinConfidence}): {found}/{samples.Sum(s => s.Faces)} faces ({perPhoto} per photo), {extra} extra; {sampleResults.PhotosPerSecond[d]:0.00} photos/s");
}

var lfw = Directory.EnumerateFiles(options["--lfw"], "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
int limit = int.Parse(options["--limit"]);
if (limit > 0) lfw = lfw.Take(limit).ToArray();
var lfwResults = Run(lfw);
Console.WriteLine($"LFW ({options["--lfw"]}): {lfw.Length} photos; threads={threads}; {lfwResults.WallSeconds:0} s wall");
foreach (var (detector, d) in detectors.Select((detector, d) => (detector, d)))
{
    int any = lfwResults.Faces.Count(f => f[d].Count > 0);
    int centre = lfw.Select((_, p) => lfwResults.Faces[p][d].Any(face => face.Box.X <= lfwResults.Sizes[p].Width / 2f && face.Box.Right >= lfwResults.Sizes[p].Width / 2f
        && face.Box.Y <= lfwResults.Sizes[p].Height / 2f && face.Box.Bottom >= lfwResults.Sizes[p].Height / 2f)).Count(hit => hit);
    Console.WriteLine($"  {detector.Name} (min confidence {detector.MinConfidence}): a face in {any}/{lfw.Length} ({any / (double)lfw.Length:P2}), "
        + $"a box on the centre in {centre}/{lfw.Length} ({centre / (double)lfw.Length:P2}); {lfwResults.PhotosPerSecond[d]:0.0} photos/s per thread");
}

double ratio = lfwResults.PhotosPerSecond[0] / lfwResults.PhotosPerSecond[1];
Console.WriteLine($"Speed ratio on LFW (Ultra-Light / SSD): {ratio:0.0}x; load average at the start: {loadAtStart}, at the end: {File.ReadAllText("/proc/loadavg").Trim()}");

Results Run(string[] photos)
{
    var faces = new List<DetectedFace>[photos.Length][];
    var sizes = new (int Width, int Height)[photos.Length];
    var ticks = new long[detectors.Length];
    var wall = Stopwatch.StartNew();
    Parallel.For(0, photos.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
    {
        using var loaded = ImageLoader.Load(photos[p]);
        using var image = SKImage.FromBitmap(loaded.Bitmap);
        sizes[p] = (image.Width, image.Height);
        faces[p] = new List<DetectedFace>[detectors.Length];
        for (int d = 0; d < detectors.Length; d++)
        {
            long start = Stopwatch.GetTimestamp();
            faces[p][d] = detectors[d].Network.Detect(image, detectors[d].MinConfidence);
            Interlocked.Add(ref ticks[d], Stopwatch.GetTimestamp() - start);
        }
    });
    double[] photosPerSecond = ticks.Select(t => photos.Length / (t / (double)Stopwatch.Frequency)).ToArray();
    return new Results(faces, sizes, photosPerSecond, wall.Elapsed.TotalSeconds);
}

internal sealed record Detector(string Name, IFaceDetector Network, float MinConfidence);

internal sealed record Results(List<DetectedFace>[][] Faces, (int Width, int Height)[] Sizes, double[] PhotosPerSecond, double WallSeconds);
