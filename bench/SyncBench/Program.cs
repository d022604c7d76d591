// Times Export-FaceCluster -Sync's engine on an export of every JPEG under PHOTOS (copies), written to OUT:
//   SyncBench PHOTOS OUT [RUNS]
// One person per folder of two or more photos, the other photos doubtful, one face a photo (a fixed box: no encoding,
// so only the export is timed). Without OUT/faces.json it first makes a cold export into OUT; then it runs RUNS
// (default 3) unchanged syncs of the same groups, each a fresh ExportSession (plan, run, final faces.json), and
// prints each time (wall and the process's CPU), where it went and what the sync did. The review page, which the cmdlet writes after it, is not included.
using System.Diagnostics;
using System.Globalization;
using FaceCluster.Engine.Export;
using FaceCluster.Model;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: SyncBench PHOTOS OUT [RUNS]");
    return 2;
}
var photos = Path.GetFullPath(args[0]);
var output = Path.GetFullPath(args[1]);
var runs = args.Length == 3 ? int.Parse(args[2]) : 3;

FaceEncoding Face(string path) => new()
{
    Path = path, FaceIndex = 0, Box = new FaceBox(70, 70, 110, 110),
    Landmarks = [new(100, 110), new(150, 110), new(125, 135), new(105, 160), new(145, 160)],
    Confidence = 0.99f, Vector = [1f, 0f, 0f], Model = "bench", ImageWidth = 250, ImageHeight = 250,
};
FaceGroup Group(int id, IEnumerable<string> paths) => new()
{
    Id = id, Label = id < 0 ? FaceGroup.DoubtfulLabel : FaceGroup.ClusterLabel(id),
    Members = paths.Select(p => new ClusterMember(Face(p), id < 0 ? FaceRole.Noise : FaceRole.Core)).ToArray(),
    Representative = id < 0 ? null : Face(paths.First()),
};

var folders = Directory.EnumerateFiles(photos, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
    .GroupBy(Path.GetDirectoryName).ToArray();
var groups = folders.Where(f => f.Count() > 1).Select((f, i) => Group(i, f)).Append(Group(-1, folders.Where(f => f.Count() == 1).SelectMany(f => f))).ToArray();
Console.WriteLine($"photos={folders.Sum(f => f.Count())} people={groups.Length - 1}");

if (!File.Exists(Path.Combine(output, FaceManifest.FileName)))
{
    var cold = Stopwatch.StartNew();
    using (var session = ExportSession.Start(ExportPlanner.Plan(groups, output, ExportMode.Copy), force: false))
        Check(session.Run());
    Console.WriteLine($"cold_export_s={cold.Elapsed.TotalSeconds:0.00}");
}

for (var run = 1; run <= runs; run++)
{
    var watch = Stopwatch.StartNew();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var target = ExportPlanner.Plan(groups, output, ExportMode.Copy) with { Sync = true };
    var planned = watch.Elapsed.TotalSeconds;
    using var session = ExportSession.Start(target, force: false);
    var started = watch.Elapsed.TotalSeconds;
    // Each kind of step's time: the manifests, the files.
    var steps = new SortedDictionary<string, double>(StringComparer.Ordinal);
    var last = watch.Elapsed.TotalSeconds;
    foreach (var result in session.Run())
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(result.Message);
        var now = watch.Elapsed.TotalSeconds;
        steps[result.Action.Kind.ToString()] = steps.GetValueOrDefault(result.Action.Kind.ToString()) + now - last;
        last = now;
    }
    var summary = session.Summarize();
    Console.WriteLine($"sync_{run}_s={watch.Elapsed.TotalSeconds:0.00} cpu_s={(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} kept={summary.Kept} added={summary.Added} moved={summary.Moved} updated={summary.Updated} removed={summary.Removed}");
    Console.WriteLine($"  plan {planned:0.00} s, start (look at the folder, sync plan) {started - planned:0.00} s, steps: {string.Join(", ", steps.Select(p => $"{p.Key} {p.Value:0.00} s"))}");
}
return 0;

static void Check(IEnumerable<ExportActionResult> results)
{
    foreach (var result in results)
        if (!result.Succeeded)
            throw new InvalidOperationException(result.Message);
}
