#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
// Manual sanity check, not a CI test: verification accuracy of the default pack on LFW pairs.
// Usage (from the repository root): dotnet run tools/LfwCheck.cs -- <lfw-deepfunneled dir> [pairs per class] [models dir]
using System.Diagnostics;
using FaceCluster.Engine.Encoding;
using FaceCluster.Model;
using FaceCluster.Engine.Models;

var lfw = args.Length > 0 ? args[0] : "../shared/datasets/lfw-deepfunneled"; // relative to the repository root
int perClass = args.Length > 1 ? int.Parse(args[1]) : 100;
var models = args.Length > 2 ? args[2] : "artifacts/module/FaceCluster/models"; // relative to the repository root
var catalog = ModelPackCatalog.Load(models);
var pack = catalog.Get(catalog.DefaultPackName);
using var encoder = FaceEncoder.Create(pack, new FaceEncoderOptions { MinConfidence = 0.5f });

var lines = File.ReadLines(Path.Combine(lfw, "pairs.txt")).Skip(1).Select(l => l.Split('\t')).ToList();
var same = lines.Where(p => p.Length == 3).Take(perClass).Select(p => (A: Img(p[0], p[1]), B: Img(p[0], p[2]), Same: true));
var diff = lines.Where(p => p.Length == 4).Take(perClass).Select(p => (A: Img(p[0], p[1]), B: Img(p[2], p[3]), Same: false));
var pairs = same.Concat(diff).ToList();

var cache = new Dictionary<string, float[]?>();
var watch = Stopwatch.StartNew();
int misses = 0;
float[]? Vector(string path)
{
    if (!cache.TryGetValue(path, out var v))
    {
        var faces = encoder.Encode(path, CancellationToken.None);
        // LFW faces are centred: take the face nearest the centre.
        var face = faces.OrderBy(f => Math.Abs(f.Box.CenterX - f.ImageWidth / 2f) + Math.Abs(f.Box.CenterY - f.ImageHeight / 2f)).FirstOrDefault();
        if (face is null) misses++;
        cache[path] = v = face?.Vector;
    }
    return v;
}

var scored = pairs.Select(p => (Sim: Cosine(Vector(p.A), Vector(p.B)), p.Same)).ToList();
double msPerImage = watch.Elapsed.TotalMilliseconds / cache.Count;
var best = scored.Select(s => s.Sim).Distinct().Select(t => (T: t, Acc: scored.Count(s => (s.Sim >= t) == s.Same) / (double)scored.Count)).MaxBy(x => x.Acc);
Console.WriteLine($"pairs={scored.Count} images={cache.Count} no-face={misses} accuracy={best.Acc:P2} at cosine>={best.T:0.000} ms/image={msPerImage:0.0}");
Console.WriteLine($"mean cosine same={scored.Where(s => s.Same).Average(s => s.Sim):0.000} different={scored.Where(s => !s.Same).Average(s => s.Sim):0.000}");

string Img(string name, string n) => Path.Combine(lfw, name, $"{name}_{int.Parse(n):0000}.jpg");
static float Cosine(float[]? a, float[]? b) => a is null || b is null ? -1f : System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
