using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>scikit-learn's DBSCAN on the same vectors, run by /usr/bin/python3 with sklearn_dbscan.py.</summary>
public sealed class SklearnOracle
{
    public const string Python = "/usr/bin/python3";
    public const string InstallHint = "install python3-sklearn for /usr/bin/python3: apt-get update && apt-get install -y python3-sklearn";

    public required int[] Labels { get; init; }
    public required int[] Core { get; init; }
    public required int[] NearestCore { get; init; }
    public required double Seconds { get; init; }
    public required long MaxRssKb { get; init; }

    /// <summary>Writes the vectors to a temp file, runs the script, reads its answer. Throws when sklearn is missing.</summary>
    public static SklearnOracle Run(IReadOnlyList<float[]> vectors, double eps, int minSamples, DistanceMetric metric, string scriptPath)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} not found: {InstallHint}");
        }

        string input = Path.GetTempFileName(), output = Path.GetTempFileName();
        try
        {
            WriteVectors(input, vectors);
            var psi = new ProcessStartInfo(Python)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { scriptPath, input, output, eps.ToString("R", CultureInfo.InvariantCulture),
                         minSamples.ToString(CultureInfo.InvariantCulture), metric == DistanceMetric.Cosine ? "cosine" : "euclidean" })
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {Python}.");
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            _ = stdout.Result;
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"scikit-learn oracle failed (exit {p.ExitCode}): {stderr.Trim()}\n{InstallHint}");
            }

            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(output));
            JsonElement root = doc.RootElement;
            return new SklearnOracle
            {
                Labels = Ints(root.GetProperty("labels")),
                Core = Ints(root.GetProperty("core")),
                NearestCore = Ints(root.GetProperty("nearest_core")),
                Seconds = root.GetProperty("seconds").GetDouble(),
                MaxRssKb = root.GetProperty("max_rss_kb").GetInt64(),
            };
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static void WriteVectors(string path, IReadOnlyList<float[]> vectors)
    {
        using var w = new BinaryWriter(new BufferedStream(File.Create(path), 1 << 20));
        w.Write(vectors.Count);
        w.Write(vectors.Count == 0 ? 0 : vectors[0].Length);
        foreach (float[] v in vectors)
        {
            foreach (float x in v)
            {
                w.Write(x);
            }
        }
    }
}
