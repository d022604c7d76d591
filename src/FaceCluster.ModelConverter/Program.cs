using FaceCluster.ModelConverter;

// Converts face-api's TensorFlow.js weights of dlib's face descriptor network into an ONNX model.
// Usage: FaceCluster.ModelConverter --tfjs <folder with face_recognition_model-weights_manifest.json> --out <file.onnx> [--sha256 <expected>]
const string ManifestName = "face_recognition_model-weights_manifest.json";
const string Usage = "Usage: FaceCluster.ModelConverter --tfjs <folder holding " + ManifestName + "> --out <file.onnx> [--sha256 <expected hex>]";

Dictionary<string, string> options;
try
{
    options = CommandLineOptions.Parse(args, "--tfjs", "--out", "--sha256");
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

if (!options.TryGetValue("--tfjs", out string? tfjsFolder) || !options.TryGetValue("--out", out string? outputPath))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

string manifestPath = Path.Combine(tfjsFolder, ManifestName);
if (!File.Exists(manifestPath))
{
    Console.Error.WriteLine($"No {ManifestName} in {Path.GetFullPath(tfjsFolder)}.");
    return 1;
}

var weights = TfjsWeightManifestReader.Read(manifestPath);
var graph = DlibFaceDescriptorNetworkBuilder.Build(weights);
var model = OnnxModelWriter.CreateModel(
    graph,
    "dlib's face descriptor network (dlib_face_recognition_resnet_model_v1, weights CC0 by Davis King) converted from face-api's TensorFlow.js weights (MIT). "
        + "Input: [batch, 3, 150, 150] RGB, (pixel - [122.782, 117.001, 104.298]) / 255. Output: [batch, 128] descriptor, compared by Euclidean distance.",
    [
        new("source", "face-api face_recognition_model (TensorFlow.js, uint8-quantised)"),
        new("input_mean_rgb", "122.782,117.001,104.298"),
        new("input_divisor", "255"),
        new("metric", "Euclidean"),
    ]);

string sha256 = OnnxModelWriter.Write(model, outputPath);
Console.WriteLine($"Wrote {Path.GetFullPath(outputPath)} ({weights.Count} weights, {graph.Node.Count} nodes), SHA-256 {sha256}");

if (options.TryGetValue("--sha256", out string? expected) && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
{
    File.Delete(outputPath);
    Console.Error.WriteLine($"The converted model's SHA-256 {sha256} differs from the expected {expected}; deleted it.");
    return 1;
}

return 0;
