// Times reading and writing a faces.json, the old way (the reflection-based System.Text.Json options faces.json was
// always written with, the document serialised to bytes, then written) against the engine's (FaceManifest.Read, and
// FaceManifest.Write, which streams into the temporary file):
//   ManifestBench FILE MODE [REPEATS]
// MODE: read-old, read-new, read-old-span (the whole file read into memory, then parsed), write-old and write-new
// (serialised to bytes only), file-old (serialised to bytes, then written and flushed to disk), file-old-stream (the
// old options streamed into a file), file-new (FaceManifest.Write). Run each MODE in a process of its own, so that its
// first call is as cold as a night's; each call is timed (wall, and the process's CPU over all threads), and every
// write is checked to give the file's exact bytes.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FaceCluster.Engine.Export;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: ManifestBench FILE read-old|read-new|write-old|write-new|file-old|file-new [REPEATS]");
    return 2;
}
var path = Path.GetFullPath(args[0]);
var mode = args[1];
var repeats = args.Length == 3 ? int.Parse(args[2]) : 3;
var oldOptions = new JsonSerializerOptions
{
    PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
};
var original = File.ReadAllBytes(path);
FaceManifest ReadNew()
{
    using var stream = File.OpenRead(path);
    return FaceManifest.Read(stream);
}
FaceManifest ReadOld()
{
    using var stream = File.OpenRead(path);
    return JsonSerializer.Deserialize<FaceManifest>(stream, oldOptions)!;
}
var manifest = mode.StartsWith("read", StringComparison.Ordinal) ? null : ReadNew();
var folder = Directory.CreateTempSubdirectory("manifestbench-");
var process = Process.GetCurrentProcess();
for (var run = 1; run <= repeats; run++)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    byte[]? bytes = null;
    var faces = 0;
    switch (mode)
    {
        case "read-old": faces = ReadOld().Faces.Count; break;
        case "read-new": faces = ReadNew().Faces.Count; break;
        case "read-old-span": faces = JsonSerializer.Deserialize<FaceManifest>(File.ReadAllBytes(path), oldOptions)!.Faces.Count; break;
        case "file-old-stream":
            using (var file = new FileStream(Path.Combine(folder.FullName, FaceManifest.FileName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                JsonSerializer.Serialize(file, manifest, oldOptions);
                file.Flush(flushToDisk: true);
            }
            break;
        case "write-old": bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, oldOptions); break;
        case "write-new": bytes = manifest!.ToUtf8Bytes(); break;
        case "file-old":
            using (var file = new FileStream(Path.Combine(folder.FullName, FaceManifest.FileName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                file.Write(JsonSerializer.SerializeToUtf8Bytes(manifest, oldOptions));
                file.Flush(flushToDisk: true); // as FaceManifest.Write does
            }
            break;
        case "file-new": manifest!.Write(Path.Combine(folder.FullName, FaceManifest.FileName)); break;
        default: Console.Error.WriteLine($"unknown mode {mode}"); return 2;
    }
    clock.Stop();
    process.Refresh();
    var used = process.TotalProcessorTime - cpu;
    if (mode.StartsWith("file", StringComparison.Ordinal))
        bytes = File.ReadAllBytes(Path.Combine(folder.FullName, FaceManifest.FileName));
    var same = bytes is null ? "" : bytes.AsSpan().SequenceEqual(original) ? ", same bytes as the file" : ", BYTES DIFFER from the file";
    Console.WriteLine($"{mode} run {run}: {clock.Elapsed.TotalSeconds:0.00} s wall, {used.TotalSeconds:0.00} s CPU, {original.Length / 1e6:0.0} MB{(faces > 0 ? $", {faces} faces" : "")}{same}");
    if (bytes is not null && !bytes.AsSpan().SequenceEqual(original))
        return 1;
}
folder.Delete(recursive: true);
return 0;
