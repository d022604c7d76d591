using FaceCluster.ModelConverter;

// Converts face-api's TensorFlow.js weights of one of its networks into an ONNX model.
// Usage: FaceCluster.ModelConverter --tfjs <folder with {model}-weights_manifest.json> --model <face-api model name> --out <file.onnx> [--sha256 <expected>]
string usage = "Usage: FaceCluster.ModelConverter --tfjs <folder holding {model}-weights_manifest.json> --model <"
    + string.Join("|", TfjsNetwork.All.Select(n => n.ModelName)) + "> --out <file.onnx> [--sha256 <expected hex>]";

Dictionary<string, string> options;
try
{
    options = CommandLineOptions.Parse(args, "--tfjs", "--model", "--out", "--sha256");
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(usage);
    return 2;
}

if (!options.TryGetValue("--tfjs", out string? tfjsFolder)
    || !options.TryGetValue("--model", out string? modelName)
    || !options.TryGetValue("--out", out string? outputPath))
{
    Console.Error.WriteLine(usage);
    return 2;
}

TfjsNetwork? network = TfjsNetwork.All.FirstOrDefault(n => n.ModelName == modelName);
if (network is null)
{
    Console.Error.WriteLine($"Unknown model '{modelName}'.");
    Console.Error.WriteLine(usage);
    return 2;
}

string manifestName = $"{network.ModelName}-weights_manifest.json";
string manifestPath = Path.Combine(tfjsFolder, manifestName);
if (!File.Exists(manifestPath))
{
    Console.Error.WriteLine($"No {manifestName} in {Path.GetFullPath(tfjsFolder)}.");
    return 1;
}

var weights = TfjsWeightManifestReader.Read(manifestPath);
var graph = network.Build(weights);
var model = OnnxModelWriter.CreateModel(graph, network.Documentation, network.Metadata);

string sha256 = OnnxModelWriter.Write(model, outputPath);
Console.WriteLine($"Wrote {Path.GetFullPath(outputPath)} ({weights.Count} weights, {graph.Node.Count} nodes), SHA-256 {sha256}");

if (options.TryGetValue("--sha256", out string? expected) && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
{
    File.Delete(outputPath);
    Console.Error.WriteLine($"The converted model's SHA-256 {sha256} differs from the expected {expected}; deleted it.");
    return 1;
}

return 0;
