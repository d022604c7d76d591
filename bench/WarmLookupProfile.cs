#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
#:property Configuration=Release
// Where the warm first stage's CPU goes a photo, engine only (no PowerShell): the walk of the library
// (PhotoFolderWalker), the walk with each photo's stamp (stat), the store's batched look-up (FindKnown, 256 paths a
// call, as Get-FaceEncoding -Store asks) twice, the look-up of each path alone (KnownContentKey), and one task a photo
// (Task.Run, as the cmdlet gave each photo before). CPU is the process's TotalProcessorTime.
// Usage (from the repository root, after the build): dotnet run -c Release bench/WarmLookupProfile.cs -- LIBRARY STORE REPEAT
// The library is listed REPEAT times over; every photo must be in the store at its stamp (run the stage once first).
using System.Diagnostics;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.FileSystem;
using FaceCluster.Engine.Models;
using FaceCluster.Engine.Store;

string library = Path.GetFullPath(args[0]), storePath = Path.GetFullPath(args[1]);
int repeat = int.Parse(args[2]);
ModelPack pack = ModelPackCatalog.Load(Environment.GetEnvironmentVariable("FACECLUSTER_MODELS") ?? "artifacts/module/FaceCluster/models")
    .Packs.Single(p => p.Name == "faceplugin");
var process = Process.GetCurrentProcess();
Console.WriteLine($"# {DateTime.UtcNow:s}Z, load {File.ReadAllText("/proc/loadavg")[..14]}, {library} x {repeat}");

IEnumerable<string> Photos()
{
    for (int r = 0; r < repeat; r++)
    {
        foreach (PhotoWalkEntry entry in new PhotoFolderWalker(includeExportFolders: false).Walk(library))
        {
            if (entry.Kind == PhotoWalkEntryKind.Photo)
            {
                yield return entry.Path;
            }
        }
    }
}

void Step(string name, Func<long> run)
{
    process.Refresh();
    TimeSpan cpu = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    long count = run();
    process.Refresh();
    double seconds = (process.TotalProcessorTime - cpu).TotalSeconds;
    Console.WriteLine($"{name}: {count} photos, {watch.Elapsed.TotalSeconds:0.00} s, {seconds:0.00} s CPU, {1e6 * seconds / count:0.0} µs CPU a photo");
}

Step("walk (warm-up)", () => Photos().LongCount());
Step("walk", () => Photos().LongCount());
Step("walk + stat", () => Photos().LongCount(p => PhotoFileStamp.Of(Path.GetFullPath(p)) is not null));
var files = Photos().Select(p => (p, PhotoFileStamp.Of(p)!.Value)).ToList();
using var store = EncodingStore.Open(storePath);
long settings = store.SettingsId(EncodingSettings.Describe(pack, new FaceEncoderOptions()));
long Batched()
{
    long served = 0;
    for (int from = 0; from < files.Count; from += 256)
    {
        served += store.FindKnown(files.GetRange(from, Math.Min(256, files.Count - from)), settings, pack.EmbeddingSize).Count(f => f.Photo is not null);
    }

    return served;
}

Step("FindKnown, 256 a call", Batched);
Step("FindKnown, 256 a call, again", Batched);
Step("KnownContentKey, one path a call", () => files.LongCount(f => store.KnownContentKey(f.Item1, f.Item2) is not null));
Step("Task.Run a photo", () =>
{
    var done = Task.FromResult(1);
    var queue = new Queue<Task<int>>();
    long count = 0;
    foreach (var _ in files)
    {
        queue.Enqueue(Task.Run(async () => await done.ConfigureAwait(false)));
        count += queue.Count > 1024 ? queue.Dequeue().Result : 0;
    }

    while (queue.Count > 0)
    {
        count += queue.Dequeue().Result;
    }

    return count;
});
