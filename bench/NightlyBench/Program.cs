// Issue 22: nightly runs and the encoding store at a million faces. Prints numbers; docs/benchmarks.md has the runs.
//   NightlyBench nightly N SHARE [--full]   a library of N realistic faces (RealisticFaces) whose earlier export holds
//                                            the generator's people, then a night adding SHARE x N new faces: reading
//                                            faces.json and the incremental clustering timed (and, with --full, the
//                                            full clustering of the same faces, in the same run); a fingerprint of
//                                            the night's people, equal where two engines placed every face alike
//   NightlyBench library WORK N SHARE        the fixture of bench/nightly-million.ps1, in WORK: a library of N realistic
//                                            faces (1.25 a photo) as small distinct JPEG files (WORK/library), SHARE x N
//                                            new faces' photos beside it (WORK/added), every photo's faces in an SQLite
//                                            encoding store as Get-FaceEncoding -Store leaves them (WORK/store.db), and
//                                            a first export (copies) of the generator's people with its review page's
//                                            thumbnails (WORK/export; the page itself is the script's); made once,
//                                            WORK/fixture.json written last
//   NightlyBench store N [--keep] [--once]  an SQLite encoding store of N faces (1.25 a photo): bytes per face, the
//                                            open, warm read speed (batches of 256 paths in one FindKnown, as
//                                            Get-FaceEncoding -Store reads, against one photo at a time), and the
//                                            check and scan of Optimize-FaceEncodingStore; --keep reuses and keeps
//                                            the store file; --once reads it in one round, not two
//   NightlyBench review N                    the export's whole-library steps that grow with N, without the disk: the
//                                            plan (faces.json built), faces.json serialised and read back, the review
//                                            hints (NearestPeople) and every review page built, on the generator's
//                                            people among N realistic faces, each timed (wall and CPU); then a night
//                                            of 1% new faces: the hints from the kept ones against all computed again,
//                                            and its review pages: every page built against the changed ones only
//   NightlyBench half CACHE...              LibraryBenchmark's real encodings clustered at the defaults with float and
//                                            with half-precision vectors: F1 against the folders, and the agreement
using System.Diagnostics;
using System.Globalization;
using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.Models;
using FaceCluster.Engine.People;
using FaceCluster.Engine.Review;
using FaceCluster.Engine.Store;
using FaceCluster.Engine.Tests.Clustering;
using FaceCluster.Model;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string repository = FindRepository();
ModelPack pack = ModelPackCatalog.Load(Environment.GetEnvironmentVariable("FACECLUSTER_MODELS")
    ?? Path.Combine(repository, "artifacts/module/FaceCluster/models")).Packs.Single(p => p.Name == "faceplugin");
Console.WriteLine($"# {DateTime.UtcNow:s}Z, {Environment.ProcessorCount} cores, load {Load()}, {string.Join(' ', args)}");
int rc = args switch
{
    ["nightly", var n, var share, .. var rest] => Nightly(int.Parse(n), double.Parse(share), rest.Contains("--full")),
    ["store", var n, .. var rest] => StoreBench(int.Parse(n), rest.Contains("--keep"), rest.Contains("--once") ? 1 : 2),
    ["library", var work, var n, var share] => Library(work, int.Parse(n), double.Parse(share)),
    ["review", var n] => ReviewBench(int.Parse(n)),
    ["half", .. var caches] when caches.Length > 0 => Half(caches),
    _ => Usage(),
};
Console.WriteLine($"# load at the end {Load()}");
return rc;

int Usage()
{
    Console.Error.WriteLine("usage: NightlyBench nightly N SHARE [--full] | library WORK N SHARE | store N [--keep] [--once] | review N | half CACHE...");
    return 2;
}

FaceClusteringOptions Options(PersonHistory? previous = null, bool recluster = false) => new()
{
    Algorithm = ClusteringAlgorithm.AverageLinkage,
    Epsilon = pack.LinkageThreshold,
    LibraryThreshold = pack.LibraryThreshold,
    Metric = pack.Metric,
    Previous = previous,
    Recluster = recluster,
};

int Nightly(int n, double share, bool full)
{
    int added = (int)Math.Round(n * share);
    var watch = Stopwatch.StartNew();
    (List<float[]> vectors, int[] person) = RealisticFaces.Generate(n + added);
    FaceEncoding Face(int i) => new()
    {
        Path = $"/library/{i / 1000:D4}/IMG_{i:D7}.jpg", FaceIndex = 0, Box = new FaceBox(10, 10, 100, 100), Landmarks = [],
        Confidence = 0.99f, Vector = vectors[i], Model = pack.Name, ImageWidth = 640, ImageHeight = 480,
    };
    var faces = Enumerable.Range(0, n + added).Select(Face).ToArray();
    Console.WriteLine($"generated {n} + {added} faces in {watch.Elapsed.TotalSeconds:0.0} s");

    watch.Restart();
    (List<FaceGroup> groups, double groupThreshold) = EarlierGroups(faces, person, n);
    string folder = Path.Combine(Path.GetTempPath(), $"facecluster-nightly-{n}");
    Directory.CreateDirectory(folder);
    string manifestPath = Path.Combine(folder, FaceManifest.FileName);
    ExportPlanner.Plan(groups, folder, ExportMode.Copy).Manifest.Write(manifestPath);
    Console.WriteLine($"earlier export: {groups.Count - 1} people, group threshold {groupThreshold}, faces.json {new FileInfo(manifestPath).Length / 1e6:0} MB, written in {watch.Elapsed.TotalSeconds:0.0} s");
    groups = null!;
    GC.Collect();

    // The night: every face in (new ones last, as a store serves them), faces.json read, people placed.
    long before = GC.GetTotalAllocatedBytes();
    var night = Stopwatch.StartNew();
    TimeSpan cpu0 = Cpu();
    FaceManifest manifest = FaceManifest.Read(manifestPath);
    PersonHistory history = PersonHistory.Resolve(manifest, PersonCorrections.Empty, []);
    double read = night.Elapsed.TotalSeconds;
    TimeSpan cpu1 = Cpu();
    var clusterer = new FaceClusterer();
    IReadOnlyList<FaceGroup> result = clusterer.Cluster(faces, Options(history));
    double nightly = night.Elapsed.TotalSeconds;
    TimeSpan cpu2 = Cpu();
    Console.WriteLine($"nightly: {clusterer.Run} ({clusterer.RunReason}); faces.json read and resolved {read:0.0} s ({(cpu1 - cpu0).TotalSeconds:0.0} s CPU), clustering {nightly - read:0.0} s ({(cpu2 - cpu1).TotalSeconds:0.0} s CPU), total {nightly:0.0} s ({(cpu2 - cpu0).TotalSeconds:0.0} s CPU, all threads); peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:0.00} GB");
    Report(result, faces, person, n, clusterer.NewFaces.JoinedPeople);
    Console.WriteLine($"  the night's people, fingerprint (every group's id, name, representative, and every member's face, role and hint): {Fingerprint(result)}");

    if (full)
    {
        manifest = null!;
        result = null!;
        GC.Collect();
        var all = Stopwatch.StartNew();
        var again = new FaceClusterer();
        IReadOnlyList<FaceGroup> fullResult = again.Cluster(faces, Options(history, recluster: true));
        double fullSeconds = all.Elapsed.TotalSeconds;
        Console.WriteLine($"full clustering of the same faces: {fullSeconds:0.0} s ({again.RunReason}); full / nightly = {fullSeconds / nightly:0.0}x");
        Report(fullResult, faces, person, n, 0);
    }

    Directory.Delete(folder, recursive: true);
    _ = before;
    return 0;
}

int ReviewBench(int n)
{
    int added = n / 100;
    (List<float[]> vectors, int[] person) = RealisticFaces.Generate(n + added);
    var faces = Enumerable.Range(0, n + added).Select(i => new FaceEncoding
    {
        Path = $"/library/{i / 1000:D4}/IMG_{i:D7}.jpg", FaceIndex = 0, Box = new FaceBox(10, 10, 100, 100), Landmarks = [],
        Confidence = 0.99f, Vector = vectors[i], Model = pack.Name, ImageWidth = 640, ImageHeight = 480,
    }).ToArray();
    (List<FaceGroup> groups, _) = EarlierGroups(faces, person, n);
    Console.WriteLine($"{n} faces, {groups.Count - 1} people");
    T Timed<T>(string step, Func<T> run, Func<T, string>? what = null)
    {
        var watch = Stopwatch.StartNew();
        TimeSpan cpu = Cpu();
        T result = run();
        Console.WriteLine($"  {step}: {watch.Elapsed.TotalSeconds:0.00} s, {(Cpu() - cpu).TotalSeconds:0.00} s CPU{(what is null ? "" : "; " + what(result))}");
        return result;
    }

    FaceManifest manifest = Timed("plan (faces.json built)", () => ExportPlanner.Plan(groups, "/export", ExportMode.Copy).Manifest);
    byte[] json = Timed("faces.json serialised", manifest.ToUtf8Bytes, b => $"{b.Length / 1e6:0.0} MB");
    Timed("faces.json read", () => FaceManifest.Read(new MemoryStream(json)));
    json = null!;
    NearestPeopleState hints = Timed("review hints (NearestPeople), every person", () => NearestPeople.Find(groups, null), h => $"{h.People.Count} people");
    // A thumbnail's name for each face, one per face as an export's.
    Dictionary<(string, int), string> Thumbnails(FaceManifest m) =>
        m.Faces.ToDictionary(f => (f.Path, f.FaceIndex), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(f.Path)), 0, 16).ToLowerInvariant() + ".jpg");
    ReviewInput Pages(FaceManifest m, Dictionary<(string, int), string> thumbnails, IReadOnlyDictionary<int, int> nearest, Func<string, string, bool>? isKept) => new()
    {
        Manifest = m, ExportKey = "key", ExportFolder = "/export", ExportedAt = DateTimeOffset.UnixEpoch, Thumbnails = thumbnails, NearestPeople = nearest, IsKept = isKept,
    };
    // Each page's fingerprint, as review/pages.json keeps it for the next night.
    var firstThumbnails = Thumbnails(manifest);
    Dictionary<string, string?> pageInputs = Timed("review pages built", () => ReviewSite.Build(Pages(manifest, firstThumbnails, hints.Nearest(), null)),
        files => $"{files.Count} files, {files.Sum(f => (long)f.Content.Length) / 1e6:0} MB").ToDictionary(f => f.RelativePath, f => f.Inputs);
    manifest = null!;
    firstThumbnails = null!;

    // The next night: 1% new faces, each joining the generator's person it was drawn from (a person of the earlier
    // export keeps its id, a new one gets the next), strangers doubtful; the hints kept in a file between the nights.
    var at = new Dictionary<FaceEncoding, int>(ReferenceEqualityComparer.Instance);
    for (int i = 0; i < faces.Length; i++)
    {
        at[faces[i]] = i;
    }

    var joining = Enumerable.Range(n, added).ToLookup(i => person[i]);
    var kept = groups.Where(g => !g.IsDoubtful).ToDictionary(g => person[at[g.Members[0].Face]]);
    int nextId = kept.Values.Max(g => g.Id) + 1;
    FaceGroup With(FaceGroup g, IEnumerable<int> more, FaceRole role) => new()
    {
        Id = g.Id, Label = g.Label, Members = [.. g.Members, .. more.Select(i => new ClusterMember(faces[i], role))], Representative = g.Representative, Clustering = g.Clustering,
    };
    List<FaceGroup> night =
    [
        .. groups.Select(g => g.IsDoubtful ? With(g, joining[-1], FaceRole.Noise) : With(g, joining[person[at[g.Members[0].Face]]], FaceRole.Core)),
        .. joining.Where(j => j.Key >= 0 && !kept.ContainsKey(j.Key)).Select(j => new FaceGroup
        {
            Id = nextId++, Label = FaceGroup.ClusterLabel(nextId - 1), Members = [.. j.Select(i => new ClusterMember(faces[i], FaceRole.Core))],
            Representative = faces[j.First()], Clustering = groups[0].Clustering,
        }),
    ];
    Console.WriteLine($"the next night: {added} new faces, {joining.Count(j => j.Key >= 0 && kept.ContainsKey(j.Key))} people grown, {night.Count - groups.Count} new, {joining[-1].Count()} doubtful; load {Load()}");
    string file = Path.Combine(Path.GetTempPath(), $"facecluster-review-bench-{Environment.ProcessId}.json");
    Timed("kept hints written", () => { File.WriteAllBytes(file, hints.ToUtf8Bytes()); return new FileInfo(file).Length; }, b => $"{b / 1e6:0.0} MB");
    hints = null!;
    groups = null!;
    GC.Collect();
    NearestPeopleState? previous = Timed("kept hints read", () => NearestPeopleState.Read(file));
    File.Delete(file);
    NearestPeopleState incremental = Timed("review hints, the changed people computed again", () => NearestPeople.Find(night, previous), h => $"{h.People.Count} people");
    previous = null;
    NearestPeopleState full = Timed("review hints, every person computed again", () => NearestPeople.Find(night, null), h => $"{h.People.Count} people");
    bool same = full.People.Count == incremental.People.Count && full.People.Zip(incremental.People).All(p =>
        p.First.Id == p.Second.Id && p.First.Faces == p.Second.Faces && p.First.Hint == p.Second.Hint && p.First.HintDistance.Equals(p.Second.HintDistance) && p.First.Candidates.SequenceEqual(p.Second.Candidates)
        && p.First.Last == p.Second.Last && p.First.LastSurrogate.Equals(p.Second.LastSurrogate));
    Console.WriteLine($"  the same hints: {same}; load {Load()}");
    FaceManifest nightManifest = ExportPlanner.Plan(night, "/export", ExportMode.Copy).Manifest;
    var nightThumbnails = Thumbnails(nightManifest);
    IReadOnlyList<ReviewFile> every = Timed("the night's review pages, every page built", () => ReviewSite.Build(Pages(nightManifest, nightThumbnails, full.Nearest(), null)),
        files => $"{files.Count} files, {files.Sum(f => (long)f.Content.Length) / 1e6:0} MB");
    IReadOnlyList<ReviewFile> changed = Timed("the night's review pages, the changed ones built (review/pages.json)",
        () => ReviewSite.Build(Pages(nightManifest, nightThumbnails, full.Nearest(), (path, inputs) => pageInputs.GetValueOrDefault(path) == inputs)),
        files => $"{files.Count(f => !f.Kept)} of {files.Count} files built, {files.Sum(f => (long)f.Content.Length) / 1e6:0} MB ("
            + string.Join(", ", files.Where(f => !f.Kept).GroupBy(f => f.RelativePath.Contains("people") || f.RelativePath == ReviewSite.IndexFileName ? "lists of people"
                : f.RelativePath.Contains("person") ? "people's faces" : f.RelativePath.Contains("doubtful") ? "doubtful faces" : "other")
                .Select(g => $"{g.Key} {g.Count()}, {g.Sum(f => (long)f.Content.Length) / 1e6:0} MB")) + ")");
    bool samePages = every.Zip(changed).All(p => p.First.RelativePath == p.Second.RelativePath && (p.Second.Kept || p.First.Content == p.Second.Content));
    Console.WriteLine($"  the pages built the same as every page built: {samePages}; load {Load()}");
    same &= samePages;
    Console.WriteLine($"  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:0.00} GB");
    return same ? 0 : 1;
}

// The earlier export: the generator's people among the first n faces (what the last full clustering would find),
// strangers doubtful, with the settings and the group threshold the pack's rule chooses for them.
(List<FaceGroup> Groups, double GroupThreshold) EarlierGroups(IReadOnlyList<FaceEncoding> faces, int[] person, int n)
{
    var library = faces.Take(n).OrderBy(f => f, Comparer<FaceEncoding>.Create((a, b) => StringComparer.Ordinal.Compare(a.Path, b.Path))).ToArray();
    double groupThreshold = LibraryThreshold.Choose(library.Select(f => f.Vector).ToArray(), pack.Metric, pack.LinkageThreshold, pack.LibraryThreshold!, Environment.ProcessorCount);
    var settings = new ClusteringSettings
    {
        Model = pack.Name, Algorithm = ClusteringAlgorithm.AverageLinkage, Metric = pack.Metric, Epsilon = pack.LinkageThreshold,
        EpsilonSource = SettingSource.ModelPack, GroupThreshold = groupThreshold, SeparateSamePhoto = true,
    };
    var groups = Enumerable.Range(0, n).Where(i => person[i] >= 0).GroupBy(i => person[i]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
        .Select((g, id) => new FaceGroup
        {
            Id = id, Label = FaceGroup.ClusterLabel(id), Members = g.Select(i => new ClusterMember(faces[i], FaceRole.Core)).ToArray(),
            Representative = faces[g.First()], Clustering = settings,
        }).ToList();
    groups.Add(new FaceGroup
    {
        Id = -1, Label = FaceGroup.DoubtfulLabel, Members = Enumerable.Range(0, n).Where(i => person[i] < 0).Select(i => new ClusterMember(faces[i], FaceRole.Noise)).ToArray(),
        Representative = null, Clustering = settings,
    });
    return (groups, groupThreshold);
}

// How the run's people match the generator's, over all faces and over the new ones.
void Report(IReadOnlyList<FaceGroup> groups, FaceEncoding[] faces, int[] person, int n, int joined)
{
    var at = faces.Select((f, i) => (f.Path, i)).ToDictionary(t => t.Path, t => t.i);
    var predicted = new int[faces.Length];
    foreach (FaceGroup g in groups)
    {
        foreach (ClusterMember m in g.Members)
        {
            predicted[at[m.Face.Path]] = g.Id;
        }
    }

    string Truth(int i) => person[i] >= 0 ? person[i].ToString(CultureInfo.InvariantCulture) : $"s{i}";
    ClusteringScore score = ClusteringScorer.Score(predicted, Enumerable.Range(0, faces.Length).Select(Truth).ToArray());
    ClusteringScore fresh = ClusteringScorer.Score(predicted.Skip(n).ToArray(), Enumerable.Range(n, faces.Length - n).Select(Truth).ToArray());
    Console.WriteLine($"  against the generator's people: pairwise F1 {score.PairwiseF1:0.0000}, BCubed F1 {score.BCubedF1:0.0000}; the new faces alone: pairwise F1 {fresh.PairwiseF1:0.0000}; {joined} new faces joined earlier people, {groups.Count(g => !g.IsDoubtful)} people");
}

// bench/nightly-million.ps1's fixture (see the top of this file). Every photo is the same small JPEG (96x96) with its
// number in a comment segment, so each file is distinct (its own content key) and decodes for crops and thumbnails.
int Library(string work, int n, double share)
{
    work = Path.GetFullPath(work);
    string done = Path.Combine(work, "fixture.json");
    if (File.Exists(done))
    {
        Console.WriteLine($"{done} exists: the fixture is made");
        return 0;
    }

    foreach (string part in new[] { "library", "added", "export" })
    {
        if (Directory.Exists(Path.Combine(work, part)))
        {
            Directory.Delete(Path.Combine(work, part), recursive: true); // an unfinished fixture of this tool
        }
    }

    Directory.CreateDirectory(work);
    string storePath = Path.Combine(work, "store.db");
    foreach (string file in new[] { storePath, storePath + "-wal", storePath + "-shm" })
    {
        File.Delete(file);
    }

    int added = (int)Math.Round(n * share);
    var watch = Stopwatch.StartNew();
    (List<float[]> vectors, int[] person) = RealisticFaces.Generate(n + added);
    Console.WriteLine($"generated {n} + {added} faces in {watch.Elapsed.TotalSeconds:0.0} s");

    byte[] jpeg;
    using (var bitmap = new SkiaSharp.SKBitmap(96, 96))
    {
        var random = new Random(7);
        for (int y = 0; y < 96; y++)
        {
            for (int x = 0; x < 96; x++)
            {
                byte v = (byte)random.Next(64, 192);
                bitmap.SetPixel(x, y, new SkiaSharp.SKColor(v, (byte)(255 - v), (byte)(x + y)));
            }
        }

        jpeg = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 80).ToArray();
    }

    byte[] Photo(int p)
    {
        // SOI, then a COM segment (FF FE, big-endian length including itself) naming the photo, then the rest.
        byte[] text = System.Text.Encoding.ASCII.GetBytes($"FaceCluster bench photo {p}");
        return [.. jpeg.AsSpan(0, 2), 0xFF, 0xFE, (byte)((text.Length + 2) >> 8), (byte)(text.Length + 2), .. text, .. jpeg.AsSpan(2)];
    }

    // 1.25 faces a photo: every fourth photo holds two; the new faces' photos after the library's.
    var photos = new List<(int First, int Count, bool New)>();
    foreach ((int from, int to, bool isNew) in new[] { (0, n, false), (n, n + added, true) })
    {
        for (int i = from; i < to;)
        {
            int count = photos.Count % 4 == 3 && i + 1 < to ? 2 : 1;
            photos.Add((i, count, isNew));
            i += count;
        }
    }

    string PhotoPath(int p) => Path.Combine(work, photos[p].New ? "added" : "library", $"{p / 1000:D4}", $"IMG_{p:D7}.jpg");
    FacePoint[] Landmarks(FaceBox box) => [new(box.X + 12, box.Y + 14), new(box.X + 28, box.Y + 14), new(box.X + 20, box.Y + 22), new(box.X + 13, box.Y + 30), new(box.X + 27, box.Y + 30)];
    FaceBox[] boxes = [new(8, 8, 40, 40), new(48, 44, 40, 40)];
    var faces = new FaceEncoding[n + added];
    long settingsId;
    var settingsText = EncodingSettings.Describe(pack, new FaceCluster.Engine.Encoding.FaceEncoderOptions());
    using (EncodingStore store = EncodingStore.Open(storePath))
    {
        settingsId = store.SettingsId(settingsText);
        for (int p = 0; p < photos.Count; p++)
        {
            string path = PhotoPath(p);
            if (p == 0 || photos[p].New != photos[p - 1].New || p % 1000 == 0)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }

            File.WriteAllBytes(path, Photo(p));
            var stored = Enumerable.Range(0, photos[p].Count)
                .Select(k => new StoredFace(k, boxes[k], Landmarks(boxes[k]), 0.99f, vectors[photos[p].First + k])).ToArray();
            store.Save(PhotoContentKey.Of(path), settingsId, new StoredPhoto(stored, 96, 96), path, PhotoFileStamp.Of(path)!.Value);
            for (int k = 0; k < stored.Length; k++)
            {
                faces[photos[p].First + k] = new FaceEncoding
                {
                    Path = path, FaceIndex = k, Box = boxes[k], Landmarks = stored[k].Landmarks, Confidence = 0.99f,
                    Vector = vectors[photos[p].First + k], Model = pack.Name, ImageWidth = 96, ImageHeight = 96,
                };
            }

            if ((p + 1) % 50_000 == 0)
            {
                Console.WriteLine($"  {p + 1} of {photos.Count} photos written and stored, {watch.Elapsed.TotalSeconds:0} s");
            }
        }
    }

    int libraryPhotos = photos.Count(p => !p.New);
    Console.WriteLine($"{libraryPhotos} library photos and {photos.Count - libraryPhotos} new ones written, their faces stored, in {watch.Elapsed.TotalSeconds:0} s");

    watch.Restart();
    (List<FaceGroup> groups, double groupThreshold) = EarlierGroups(faces, person, n);
    string export = Path.Combine(work, "export");
    using (ExportSession session = ExportSession.Start(ExportPlanner.Plan(groups, export, ExportMode.Copy), force: false))
    {
        // The session's steps in its order, but the files of the people many at a time (each copy is flushed to disk
        // before it takes its name: one at a time, a million of them take hours).
        static bool IsFile(ExportAction a) => a.Kind is ExportActionKind.PlacePhotoCopy or ExportActionKind.WriteRepresentative;
        void Check(ExportActionResult result)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(result.Message);
            }
        }

        ExportPlan plan = session.Plan;
        foreach (ExportAction action in plan.Actions.Skip(1).Where(a => !IsFile(a) && a.Kind != ExportActionKind.WriteManifest))
        {
            Check(ExportExecutor.Execute(action));
        }

        Parallel.ForEach(plan.Actions.Where(IsFile), new ParallelOptions { MaxDegreeOfParallelism = 32 }, action => Check(ExportExecutor.Execute(action)));
        ExportAction finish = plan.Actions[^1];
        Check(ExportExecutor.Execute(finish with { Manifest = finish.Manifest!.WithStamps(plan.OutputDirectory, new HashSet<string>()) }));
    }

    Console.WriteLine($"first export: {groups.Count - 1} people, group threshold {groupThreshold}, in {watch.Elapsed.TotalSeconds:0} s");

    // The review page's thumbnails, which the first Export-FaceCluster would make one at a time (each flushed to disk).
    watch.Restart();
    var thumbnails = new FaceCluster.Engine.Review.ThumbnailStore(export);
    Parallel.ForEach(faces.Take(n), new ParallelOptions { MaxDegreeOfParallelism = 32 }, face => thumbnails.Ensure(face));
    Console.WriteLine($"{n} thumbnails made in {watch.Elapsed.TotalSeconds:0} s");
    File.WriteAllText(done, System.Text.Json.JsonSerializer.Serialize(new
    {
        faces = n, addedFaces = added, share, libraryPhotos, addedPhotos = photos.Count - libraryPhotos, people = groups.Count - 1, settings = settingsText,
    }));
    return 0;
}

int StoreBench(int n, bool keep, int rounds)
{
    string path = Path.Combine(Path.GetTempPath(), $"facecluster-store-{n}.db");
    bool reuse = keep && File.Exists(path);
    if (!reuse)
    {
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    var landmarks = Enumerable.Range(0, 5).Select(i => new FacePoint(100 + i, 120 + i)).ToArray();
    byte[] Key(int photo) => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(photo));
    var stamp = new PhotoFileStamp(Size: 2_500_000, Modified: 638_000_000_000_000_000, Changed: 638_000_000_000_000_000, Device: 2049, FileId: 0);
    // 1.25 faces a photo: every fourth photo holds two.
    var photos = new List<(int First, int Count)>();
    for (int i = 0; i < n;)
    {
        int count = photos.Count % 4 == 3 && i + 1 < n ? 2 : 1;
        photos.Add((i, count));
        i += count;
    }

    string PhotoPath(int p) => $"/library/{p / 1000:D4}/IMG_{p:D7}.jpg";
    var watch = Stopwatch.StartNew();
    if (!reuse)
    {
        (List<float[]> vectors, _) = RealisticFaces.Generate(n);
        using EncodingStore store = EncodingStore.Open(path);
        long settings = store.SettingsId("bench settings");
        for (int p = 0; p < photos.Count; p++)
        {
            var faces = Enumerable.Range(0, photos[p].Count).Select(k => new StoredFace(k, new FaceBox(10, 10, 100, 100), landmarks, 0.99f, vectors[photos[p].First + k])).ToArray();
            store.Save(Key(p), settings, new StoredPhoto(faces, 4032, 3024), PhotoPath(p), stamp with { FileId = p });
        }
    }

    long bytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
    Console.WriteLine($"store of {n} faces in {photos.Count} photos {(reuse ? "reused" : $"written in {watch.Elapsed.TotalSeconds:0} s")}: {bytes / 1e6:0} MB, {bytes / (double)n:0} bytes a face (the 512 floats of a vector are 2,048)");

    // One photo at a time (the read before batches) over at most the first 80,000 photos; batches over them and all.
    int sample = Math.Min(photos.Count, 80_000);
    for (int round = 1; round <= rounds; round++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        using EncodingStore store = EncodingStore.Open(path);
        long settings = store.SettingsId("bench settings");
        Console.WriteLine($"round {round}, load {Load()}: open {watch.Elapsed.TotalSeconds:0.00} s");
        void Report(string what, int photoCount, int read)
        {
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"  {what}: {read} faces of {photoCount} photos in {watch.Elapsed.TotalSeconds:0.0} s ({used.TotalSeconds:0.0} s CPU): {read / watch.Elapsed.TotalSeconds:0} faces/s, {photoCount / watch.Elapsed.TotalSeconds:0} photos/s");
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
        }

        int ReadBatched(int count)
        {
            int read = 0;
            for (int first = 0; first < count; first += 256)
            {
                var files = Enumerable.Range(first, Math.Min(256, count - first)).Select(p => (PhotoPath(p), stamp with { FileId = p })).ToArray();
                foreach (var (key, photo) in store.FindKnown(files, settings, 512))
                {
                    read += (photo ?? throw new InvalidOperationException("photo not found")).Faces.Count;
                }
            }

            return read;
        }

        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        int single = 0;
        for (int p = 0; p < sample; p++)
        {
            byte[] key = store.KnownContentKey(PhotoPath(p), stamp with { FileId = p }) ?? throw new InvalidOperationException("path not found");
            single += store.Find(key, settings, 512)!.Faces.Count;
        }

        Report("one photo at a time", sample, single);
        Report("batches of 256, the same photos", sample, ReadBatched(sample));
        Report("batches of 256, every photo", photos.Count, ReadBatched(photos.Count));
        store.CheckIntact();
        Report("Optimize-FaceEncodingStore's full check (quick_check)", 0, 0);
        StorePrunePlan plan = store.PlanPrune(_ => true);
        Console.WriteLine($"  Optimize-FaceEncodingStore's scan of {plan.KnownPaths} paths (existence not checked): {watch.Elapsed.TotalSeconds:0.0} s");
    }

    if (!keep)
    {
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    return 0;
}

int Half(string[] caches)
{
    foreach (string cache in caches)
    {
        List<FaceEncoding> faces = FacesCacheFile.Read(cache);
        var half = faces.Select(f => new FaceEncoding
        {
            Path = f.Path, FaceIndex = f.FaceIndex, Box = f.Box, Landmarks = f.Landmarks, Confidence = f.Confidence,
            Vector = f.Vector.Select(v => (float)(Half)v).ToArray(), Model = f.Model, ImageWidth = f.ImageWidth, ImageHeight = f.ImageHeight,
        }).ToList();
        string[] truth = faces.Select(f => Path.GetFileName(Path.GetDirectoryName(f.Path))!).ToArray();
        var watch = Stopwatch.StartNew();
        int[] single = Labels(faces, new FaceClusterer().Cluster(faces, Options()));
        int[] halved = Labels(faces, new FaceClusterer().Cluster(half, Options()));
        ClusteringScore a = ClusteringScorer.Score(single, truth), b = ClusteringScorer.Score(halved, truth);
        ClusteringScore agree = ClusteringScorer.Score(halved, single.Select((l, i) => l >= 0 ? l.ToString(CultureInfo.InvariantCulture) : $"d{i}").ToArray());
        double maxChange = faces.Zip(half).Max(p => p.First.Vector.Zip(p.Second.Vector).Max(v => Math.Abs(v.First - v.Second)));
        Console.WriteLine($"{Path.GetFileName(cache)}: {faces.Count} faces; pairwise / BCubed F1 float {a.PairwiseF1:0.0000} / {a.BCubedF1:0.0000}, half {b.PairwiseF1:0.0000} / {b.BCubedF1:0.0000}; half against float pairwise F1 {agree.PairwiseF1:0.00000}, {single.Zip(halved).Count(p => (p.First < 0) != (p.Second < 0))} faces doubtful in one only; largest change of a value {maxChange:g3}; {watch.Elapsed.TotalSeconds:0} s");
    }

    return 0;
}

// Each face's group id, in the order of faces (doubtful: -1).
static int[] Labels(List<FaceEncoding> faces, IReadOnlyList<FaceGroup> groups)
{
    var at = faces.Select((f, i) => (Key: (f.Path, f.FaceIndex), i)).ToDictionary(t => t.Key, t => t.i);
    var labels = new int[faces.Count];
    foreach (FaceGroup g in groups)
    {
        foreach (ClusterMember m in g.Members)
        {
            labels[at[(m.Face.Path, m.Face.FaceIndex)]] = g.Id;
        }
    }

    return labels;
}

// SHA-256 of the groups as FaceClusterer returned them: two builds that print the same one placed every face alike.
static string Fingerprint(IReadOnlyList<FaceGroup> groups)
{
    using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
    void Add(string line) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
    foreach (FaceGroup g in groups)
    {
        Add(FormattableString.Invariant($"{g.Id}|{g.Name}|{g.Label}|{g.Representative?.Path}#{g.Representative?.FaceIndex}|{string.Join(',', g.MergedIds)}|{g.SplitFromId}"));
        foreach (ClusterMember m in g.Members)
        {
            Add(FormattableString.Invariant($"{m.Face.Path}#{m.Face.FaceIndex} {m.Role} {m.NearestClusterId} {m.NearestClusterDistance:R}"));
        }
    }

    return Convert.ToHexString(hash.GetHashAndReset())[..16];
}

static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FaceCluster.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
