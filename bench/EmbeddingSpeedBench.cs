#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
// The embedding networks alone: milliseconds per face of faceplugin's fr_feature.onnx and of another network (by
// default ../shared/models/w600k_mbf_int8.onnx), each as it is and with the engine's load-time rewrites, in the same
// run: the variants take turns, --rounds times, each round running --iterations chips through each; the median round
// is reported, at 1 and at 2 intra-op threads. Inputs are LFW photos (../shared/datasets/lfw-deepfunneled), their
// middle 112x112, normalised as (p - 127.5) / 127.5.
//
// --check: compares each variant's vectors with its network as it is on --chips such chips: how many are bit-identical,
// and the largest cosine distance.
// --profile <variant>: ONNX Runtime's profile of one variant, one thread: the time of each operator type, and the
// multiply-adds of its convolutions and matrix products.
// --pairs N: LFW verification on every Nth pair of pairs.txt, the network as it is against float activations.
// --level: the graph optimisation level of every variant but faceplugin-engine (the yardstick).
// --batch N: N chips per inference, every network with its batch made dynamic (times are per chip); with --check, each
// chip of a batch against the network as it is, one chip at a time.
//
// Usage: dotnet run -c Release bench/EmbeddingSpeedBench.cs -- [--models <dir>] [--network <onnx>] [--rounds 9]
//        [--iterations 40] [--threads 1,2] [--check] [--chips 200] [--profile int8-engine] [--pairs 10]
//        [--level ORT_ENABLE_EXTENDED] [--batch 8]
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using FaceCluster.Engine.Encoding;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using SkiaSharp;

string root = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "..");
var options = new Dictionary<string, string>
{
    ["--models"] = Path.Combine(root, "artifacts/module/FaceCluster/models"),
    ["--network"] = Path.Combine(root, "../shared/models/w600k_mbf_int8.onnx"),
    ["--lfw"] = Path.Combine(root, "../shared/datasets/lfw-deepfunneled"),
    ["--rounds"] = "9",
    ["--iterations"] = "40",
    ["--threads"] = "1,2",
    ["--chips"] = "200",
    ["--level"] = "ORT_ENABLE_ALL",
    ["--batch"] = "1",
};
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--check")
    {
        options["--check"] = "";
    }
    else if (i + 1 < args.Length)
    {
        options[args[i]] = args[++i];
    }
}

byte[] faceplugin = File.ReadAllBytes(Path.Combine(options["--models"], "faceplugin", "fr_feature.onnx"));
byte[] network = File.ReadAllBytes(options["--network"]);
var variants = new (string Name, byte[] Model, byte[] Original)[]
{
    ("faceplugin", faceplugin, faceplugin),
    ("faceplugin-engine", ModelRewrites.Apply(faceplugin), faceplugin),
    ("int8", network, network),
    ("int8-prelu", PReluExpansion.Apply(network), network),
    ("int8-engine", ModelRewrites.Apply(network), network),
    ("int8-float", ModelRewrites.Apply(FloatActivations(network)), network),
};
int batch = int.Parse(options["--batch"]);
if (batch > 1)
{
    variants = variants.Select(v => (v.Name, DynamicBatch(v.Model), v.Original)).ToArray();
}

var chips = Chips(options["--lfw"], int.Parse(options["--chips"]));
foreach (var (name, model, _) in variants)
{
    var graph = ModelProto.Parser.ParseFrom(model).Graph;
    Console.WriteLine($"{name,-18} {string.Join(", ", graph.Node.GroupBy(n => n.OpType).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"))}");
}

Console.WriteLine($"{chips.Count} chips; load average {File.ReadAllText("/proc/loadavg").Trim()}");

if (options.TryGetValue("--profile", out var profiled))
{
    Profile(variants.Single(v => v.Name == profiled).Model, chips, int.Parse(options["--iterations"]));
    return 0;
}

if (options.TryGetValue("--pairs", out var every))
{
    Pairs(options["--lfw"], int.Parse(every), variants.Single(v => v.Name == "int8").Model, variants.Single(v => v.Name == "int8-float").Model);
    return 0;
}

if (options.ContainsKey("--check"))
{
    foreach (var (name, model, original) in variants)
    {
        using var session = Session(model, 1);
        using var reference = Session(original, 1);
        int identical = 0;
        var distances = new List<double>();
        foreach (var group in chips.Chunk(batch).Where(c => c.Length == batch))
        {
            float[] all = Run(session, group.SelectMany(x => x).ToArray(), batch);
            int size = all.Length / batch;
            for (int b = 0; b < batch; b++)
            {
                float[] got = all[(b * size)..((b + 1) * size)], want = Run(reference, group[b]);
                identical += got.AsSpan().SequenceEqual(want) ? 1 : 0;
                distances.Add(1 - Cosine(got, want));
            }
        }

        Console.WriteLine($"{name,-18} batch {batch}: bit-identical {identical}/{distances.Count}, cosine distance median {Median(distances):G3}, largest {distances.Max():G3}");
    }

    return 0;
}

int rounds = int.Parse(options["--rounds"]), iterations = int.Parse(options["--iterations"]);
var batches = chips.Chunk(batch).Where(c => c.Length == batch).Select(c => c.SelectMany(x => x).ToArray()).ToList();
foreach (int threads in options["--threads"].Split(',').Select(int.Parse))
{
    var sessions = variants.Select((v, i) => Session(v.Model, threads, i == 1 ? GraphOptimizationLevel.ORT_ENABLE_ALL : Enum.Parse<GraphOptimizationLevel>(options["--level"]))).ToArray();
    var times = variants.Select(_ => new List<double>()).ToArray();
    var cpu = variants.Select(_ => new List<double>()).ToArray();
    var process = Process.GetCurrentProcess();
    foreach (var session in sessions)
    {
        Run(session, chips[0]); // warm-up
    }

    for (int round = 0; round < rounds; round++)
    {
        for (int v = 0; v < sessions.Length; v++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < iterations; i++)
            {
                Run(sessions[v], batches[(round * iterations + i) % batches.Count], batch);
            }

            times[v].Add(watch.Elapsed.TotalMilliseconds / iterations / batch);
            process.Refresh();
            cpu[v].Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds / iterations / batch);
        }
    }

    Console.WriteLine($"{threads} thread(s), {rounds} rounds of {iterations} batches of {batch} chips, load average after {File.ReadAllText("/proc/loadavg").Trim()}");
    double baseline = Median(times[1]), cpuBaseline = Median(cpu[1]);
    for (int v = 0; v < variants.Length; v++)
    {
        var sorted = times[v].Order().ToArray();
        Console.WriteLine($"  {variants[v].Name,-18} median {Median(times[v]),6:F2} ms a face (min {sorted[0]:F2}, max {sorted[^1]:F2}), {Median(times[v]) / baseline:F2} x faceplugin-engine; CPU {Median(cpu[v]),6:F2} ms, {Median(cpu[v]) / cpuBaseline:F2} x");
    }

    foreach (var session in sessions)
    {
        session.Dispose();
    }
}

return 0;

static InferenceSession Session(byte[] model, int threads, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
{
    using var options = new SessionOptions
    {
        GraphOptimizationLevel = level,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
    };
    options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
    return new InferenceSession(model, options);
}

static float[] Run(InferenceSession session, float[] chip, int batch = 1)
{
    using var value = OrtValue.CreateTensorValueFromMemory(chip, [batch, 3, 112, 112]);
    using var runOptions = new RunOptions();
    using var outputs = session.Run(runOptions, [session.InputMetadata.Keys.Single()], [value], [session.OutputMetadata.Keys.First()]);
    return outputs[0].GetTensorDataAsSpan<float>().ToArray();
}

static void Profile(byte[] model, List<float[]> chips, int iterations)
{
    using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
    options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), "embedding-profile");
    options.EnableProfiling = true;
    string file;
    using (var session = new InferenceSession(model, options))
    {
        for (int i = 0; i < iterations; i++)
        {
            Run(session, chips[i % chips.Count]);
        }

        file = session.EndProfiling();
    }

    using var json = JsonDocument.Parse(File.ReadAllText(file));
    var byOp = json.RootElement.EnumerateArray()
        .Where(e => e.GetProperty("cat").GetString() == "Node" && e.GetProperty("name").GetString()!.EndsWith("_kernel_time"))
        .GroupBy(e => e.GetProperty("args").GetProperty("op_name").GetString()!)
        .Select(g => (Op: g.Key, Ms: g.Sum(e => e.GetProperty("dur").GetDouble()) / 1000 / iterations, Nodes: g.Count() / iterations))
        .OrderByDescending(g => g.Ms)
        .ToArray();
    double total = byOp.Sum(o => o.Ms);
    // Multiply-adds of the convolutions and matrix products: weight elements x output positions (shapes as run).
    double macs = json.RootElement.EnumerateArray()
        .Where(e => e.GetProperty("cat").GetString() == "Node" && e.GetProperty("name").GetString()!.EndsWith("_kernel_time"))
        .Sum(e => Macs(e.GetProperty("args"))) / iterations;
    Console.WriteLine($"kernel time {total:F2} ms a face ({iterations} chips, 1 thread; {file}); {macs / 1e6:F0} million multiply-adds a face");
    foreach (var (op, ms, nodes) in byOp)
    {
        Console.WriteLine($"  {op,-24} {nodes,4} nodes {ms,7:F3} ms {ms / total,6:P0}");
    }
}

static double Macs(JsonElement args)
{
    string op = args.GetProperty("op_name").GetString()!;
    if (op is not ("Conv" or "ConvInteger" or "MatMul" or "MatMulInteger" or "Gemm" or "FusedConv" or "FusedGemm")
        || !args.TryGetProperty("input_type_shape", out var inputs) || !args.TryGetProperty("output_type_shape", out var outputs))
    {
        return 0;
    }

    static long[] Shape(JsonElement typed) => typed.EnumerateObject().First().Value.EnumerateArray().Select(d => d.GetInt64()).ToArray();
    long[] input = Shape(inputs[0]), weight = Shape(inputs[1]), output = Shape(outputs[0]);
    return op.Contains("Conv")
        ? (double)weight.Aggregate(1L, (a, d) => a * d) * output[0] * output[2..].Aggregate(1L, (a, d) => a * d)
        : (double)output.Aggregate(1L, (a, d) => a * d) * input[^1];
}

// LFW verification, every Nth pair of pairs.txt: the accuracy of each network at the int8 network's best threshold on
// those pairs, and how many pairs the other network decides otherwise.
static void Pairs(string lfw, int every, byte[] int8, byte[] other)
{
    var pairs = File.ReadLines(Path.Combine(lfw, "pairs.txt")).Skip(1).Select(l => l.Split('\t')).Where((_, i) => i % every == 0)
        .Select(p => p.Length == 3 ? (A: Image(p[0], p[1]), B: Image(p[0], p[2]), Same: true) : (A: Image(p[0], p[1]), B: Image(p[2], p[3]), Same: false))
        .ToArray();
    string Image(string name, string number) => Path.Combine(lfw, name, $"{name}_{int.Parse(number):D4}.jpg");
    using var first = Session(int8, 1);
    using var second = Session(other, 1);
    var similarities = pairs.Select(p =>
    {
        float[] a = Chip(p.A), b = Chip(p.B);
        return (Int8: Cosine(Run(first, a), Run(first, b)), Other: Cosine(Run(second, a), Run(second, b)), p.Same);
    }).ToArray();
    var (threshold, accuracy) = similarities.Select(s => s.Int8).Distinct()
        .Select(t => (T: t, Accuracy: similarities.Count(s => (s.Int8 >= t) == s.Same) / (double)similarities.Length))
        .MaxBy(x => x.Accuracy);
    double otherAccuracy = similarities.Count(s => (s.Other >= threshold) == s.Same) / (double)similarities.Length;
    int flipped = similarities.Count(s => (s.Int8 >= threshold) != (s.Other >= threshold));
    double moved = similarities.Max(s => Math.Abs(s.Int8 - s.Other));
    Console.WriteLine($"{similarities.Length} LFW pairs (every {every}th), middle 112x112 of each photo: int8 {accuracy:P2} at its best threshold {threshold:F3}, "
        + $"float activations {otherAccuracy:P2} there; {flipped} pairs decided otherwise; largest change of a pair's cosine {moved:F4}");
}

static List<float[]> Chips(string lfw, int count) =>
    Directory.EnumerateFiles(lfw, "*.jpg", SearchOption.AllDirectories).Order().Where((_, i) => i % 37 == 0).Take(count).Select(Chip).ToList();

/// <summary>The middle 112x112 of a photo, normalised as (p - 127.5) / 127.5, RGB planes.</summary>
static float[] Chip(string file)
{
    using var photo = SKBitmap.Decode(file);
    int left = (photo.Width - 112) / 2, top = (photo.Height - 112) / 2;
    var chip = new float[3 * 112 * 112];
    for (int y = 0; y < 112; y++)
    {
        for (int x = 0; x < 112; x++)
        {
            var pixel = photo.GetPixel(left + x, top + y);
            chip[y * 112 + x] = (pixel.Red - 127.5f) / 127.5f;
            chip[112 * 112 + y * 112 + x] = (pixel.Green - 127.5f) / 127.5f;
            chip[2 * 112 * 112 + y * 112 + x] = (pixel.Blue - 127.5f) / 127.5f;
        }
    }

    return chip;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static double Cosine(float[] a, float[] b)
{
    double dot = 0, aa = 0, bb = 0;
    for (int i = 0; i < a.Length; i++)
    {
        dot += (double)a[i] * b[i];
        aa += (double)a[i] * a[i];
        bb += (double)b[i] * b[i];
    }

    return dot / Math.Sqrt(aa * bb);
}

// The model with a batch of any size: the input's and outputs' first dimension named, shapes inferred again, and each
// constant Reshape shape of an activation that starts with 1 made to start with 0 (copy the input's first dimension).
static byte[] DynamicBatch(byte[] model)
{
    var proto = ModelProto.Parser.ParseFrom(model);
    var graph = proto.Graph;
    foreach (var value in graph.Input.Take(1).Concat(graph.Output))
    {
        value.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "batch" };
    }

    graph.ValueInfo.Clear();
    var initializers = graph.Initializer.ToDictionary(i => i.Name);
    foreach (var reshape in graph.Node.Where(n => n.OpType == "Reshape"))
    {
        if (!initializers.ContainsKey(reshape.Input[0]) && initializers.TryGetValue(reshape.Input[1], out var shape) && shape.DataType == (int)TensorProto.Types.DataType.Int64)
        {
            long[] dims = shape.Int64Data.Count > 0 ? shape.Int64Data.ToArray() : MemoryMarshal.Cast<byte, long>(shape.RawData.Span).ToArray();
            if (dims.Length > 0 && dims[0] == 1)
            {
                dims[0] = 0;
                shape.Int64Data.Clear();
                shape.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(dims.AsSpan()));
            }
        }
    }

    return proto.ToByteArray();
}

// Not in the engine (not exact): undoes dynamic quantisation. Each DynamicQuantizeLinear, ConvInteger (or
// MatMulInteger), Cast, Mul by the two scales becomes one float Conv (or MatMul) of the unquantised input with the
// dequantised weights, (w - zero point) times scale; the input is no longer rounded to 8 bits, so the output moves.
/// <summary>The model with its dynamically quantised products made float; <paramref name="model"/> itself when none qualifies.</summary>
static byte[] FloatActivations(byte[] model)
{
    var proto = ModelProto.Parser.ParseFrom(model);
    var graph = proto.Graph;
    var initializers = graph.Initializer.ToDictionary(i => i.Name);
    var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
    var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
    var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet();
    NodeProto? Only(string value) =>
        !graphOutputs.Contains(value) && consumers[value].ToArray() is [var single] ? single : null;

    var replaced = new Dictionary<NodeProto, NodeProto>();
    var dropped = new HashSet<NodeProto>();
    foreach (var node in graph.Node.Where(n => n.OpType is "ConvInteger" or "MatMulInteger" && n.Domain is "" or "ai.onnx").ToArray())
    {
        // x -> DynamicQuantizeLinear -> (q, scale, zero point); product(q, w, zero point, w zero point) -> Cast -> Mul(scale * w scale).
        if (node.Input.Count < 3 || !producers.TryGetValue(node.Input[0], out var quantize) || quantize.OpType != "DynamicQuantizeLinear"
            || quantize.Output[0] != node.Input[0] || quantize.Output.Count < 3 || quantize.Output[2] != node.Input[2]
            || Only(node.Output[0]) is not { OpType: "Cast" } cast
            || Only(cast.Output[0]) is not { OpType: "Mul" } rescale
            || !producers.TryGetValue(rescale.Input[rescale.Input[0] == cast.Output[0] ? 1 : 0], out var scales) || scales.OpType != "Mul"
            || !scales.Input.Contains(quantize.Output[1])
            || !initializers.TryGetValue(scales.Input[scales.Input[0] == quantize.Output[1] ? 1 : 0], out var weightScale)
            || DequantizedWeight(node, initializers, weightScale) is not { } weight)
        {
            continue;
        }

        var original = initializers[node.Input[1]];
        var tensor = new TensorProto { Name = $"{node.Input[1]}_dequantized", DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(original.Dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(weight.AsSpan()));
        graph.Initializer.Add(tensor);
        var product = new NodeProto { OpType = node.OpType == "ConvInteger" ? "Conv" : "MatMul", Name = node.Name };
        product.Input.AddRange([quantize.Input[0], tensor.Name]);
        product.Output.Add(rescale.Output[0]);
        product.Attribute.AddRange(node.Attribute);
        replaced[node] = product;
        dropped.UnionWith([cast, rescale]);
    }

    if (replaced.Count == 0)
    {
        return model;
    }

    var kept = graph.Node.Where(n => !dropped.Contains(n)).Select(n => replaced.GetValueOrDefault(n, n)).ToList();
    // The quantisations and scale products nothing reads any more, then the initializers nothing reads.
    for (bool removed = true; removed;)
    {
        var read = kept.SelectMany(n => n.Input).Concat(graphOutputs).ToHashSet();
        removed = kept.RemoveAll(n => n.Output.All(o => !read.Contains(o))) > 0;
    }

    graph.Node.Clear();
    graph.Node.AddRange(kept);
    var used = kept.SelectMany(n => n.Input).ToHashSet();
    foreach (var unused in graph.Initializer.Where(i => !used.Contains(i.Name)).ToArray())
    {
        graph.Initializer.Remove(unused);
    }

    return proto.ToByteArray();
}

/// <summary>(w - zero point) * scale, per tensor or per output; null when the tensors do not fit.</summary>
static float[]? DequantizedWeight(NodeProto node, Dictionary<string, TensorProto> initializers, TensorProto scale)
{
    if (!initializers.TryGetValue(node.Input[1], out var weight) || GroupedConvIntegerExpansion.Integers(weight) is not { } values
        || scale.DataType != (int)TensorProto.Types.DataType.Float)
    {
        return null;
    }

    bool isConv = node.OpType == "ConvInteger";
    int outputs = (int)(isConv ? weight.Dims[0] : weight.Dims[^1]);
    float[] scales = scale.FloatData.Count > 0 ? scale.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(scale.RawData.Span).ToArray();
    int[] zeroPoints = [0];
    if (node.Input.Count > 3 && node.Input[3].Length > 0
        && (!initializers.TryGetValue(node.Input[3], out var zeroPoint) || GroupedConvIntegerExpansion.Integers(zeroPoint) is not { } points || (zeroPoints = points).Length == 0))
    {
        return null;
    }

    if (scales.Length is not 1 && scales.Length != outputs || zeroPoints.Length is not 1 && zeroPoints.Length != outputs)
    {
        return null;
    }

    var result = new float[values.Length];
    for (int i = 0; i < values.Length; i++)
    {
        int o = isConv ? i / (values.Length / outputs) : i % outputs;
        result[i] = (values[i] - zeroPoints[zeroPoints.Length == 1 ? 0 : o]) * scales[scales.Length == 1 ? 0 : o];
    }

    return result;
}
