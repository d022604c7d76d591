// Writes the review pages of a synthetic export of N faces into OUT and prints their sizes and the build time.
//   ReviewBench N OUT
// People come from IdentityBlobs (Zipf-like sizes, mean 40 faces, 5% unrelated faces as the doubtful group; 512 dims,
// seed 42), one face per photo. Every face shows the same small thumbnail (thumbnails are made from real photos,
// which a synthetic manifest has none of; they are lazy-loaded, so the first paint does not wait for them).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.Review;
using FaceCluster.Engine.Tests.Clustering;
using FaceCluster.Model;
using SkiaSharp;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length != 2 || !int.TryParse(args[0], out var n))
{
    Console.Error.WriteLine("usage: ReviewBench N OUT");
    return 2;
}
var output = Path.GetFullPath(args[1]);
var (vectors, identity) = IdentityBlobs.Generate(n, 512, seed: 42);

FaceEncoding Face(int i) => new()
{
    Path = Path.Combine(output, "photos", $"IMG_{i:D6}.jpg"), FaceIndex = 0, Box = new FaceBox(100, 80, 120, 120),
    Landmarks = [new(130, 120), new(190, 120), new(160, 150), new(135, 180), new(185, 180)],
    Confidence = 0.99f, Vector = vectors[i], Model = "faceplugin", ImageWidth = 640, ImageHeight = 480,
};

var groups = new List<FaceGroup>();
var people = Enumerable.Range(0, n).Where(i => identity[i] >= 0).GroupBy(i => identity[i]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToArray();
for (var k = 0; k < people.Length; k++)
{
    var faces = people[k].Select(Face).ToArray();
    groups.Add(new FaceGroup
    {
        Id = k, Label = FaceGroup.ClusterLabel(k), Members = faces.Select(f => new ClusterMember(f, FaceRole.Core)).ToArray(), Representative = faces[0],
    });
}
groups.Add(new FaceGroup
{
    Id = -1, Label = FaceGroup.DoubtfulLabel,
    Members = Enumerable.Range(0, n).Where(i => identity[i] < 0)
        .Select(i => new ClusterMember(Face(i), FaceRole.Noise) { NearestClusterId = i % people.Length, NearestClusterDistance = 0.5 + i % 100 / 1000.0 }).ToArray(),
});

var manifest = ExportPlanner.Plan(groups, output, ExportMode.Copy).Manifest;
var watch = Stopwatch.StartNew();
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var nearest = NearestPeople.Find(groups);
var nearestSeconds = watch.Elapsed.TotalSeconds;
var nearestCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
var files = ReviewSite.Build(new ReviewInput
{
    Manifest = manifest, ExportKey = ReviewEdits.ExportKey(manifest.ToUtf8Bytes()), ExportFolder = output, ExportedAt = DateTimeOffset.UtcNow,
    Thumbnails = manifest.Faces.ToDictionary(f => (f.Path, f.FaceIndex), _ => "synthetic.jpg"), NearestPeople = nearest,
});
var seconds = watch.Elapsed.TotalSeconds;

Directory.CreateDirectory(Path.Combine(output, ReviewSite.ThumbnailFolder));
foreach (var group in groups.Where(g => !g.IsDoubtful))
    Directory.CreateDirectory(Path.Combine(output, group.Label));
using (var bitmap = new SKBitmap(ThumbnailStore.Size, ThumbnailStore.Size))
{
    bitmap.Erase(new SKColor(180, 150, 130));
    using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
    File.WriteAllBytes(Path.Combine(output, ReviewSite.ThumbnailFolder, "synthetic.jpg"), jpeg.ToArray());
}
long total = 0;
foreach (var file in files)
{
    var bytes = Encoding.UTF8.GetBytes(file.Content);
    total += bytes.Length;
    File.WriteAllBytes(Path.Combine(output, file.RelativePath), bytes);
}
var largest = files.MaxBy(f => Encoding.UTF8.GetByteCount(f.Content))!;
Console.WriteLine($"faces={n} people={people.Length} doubtful={groups[^1].FaceCount} largest_person={people[0].Count()} pages={files.Count} " +
    $"index_kb={Encoding.UTF8.GetByteCount(files.Single(f => f.RelativePath == ReviewSite.IndexFileName).Content) / 1024.0:F0} " +
    $"largest_page={largest.RelativePath} largest_kb={Encoding.UTF8.GetByteCount(largest.Content) / 1024.0:F0} total_mb={total / 1048576.0:F1} " +
    $"nearest_people_s={nearestSeconds:F2} nearest_people_cpu_s={nearestCpu:F2} build_s={seconds:F2}");
return 0;
