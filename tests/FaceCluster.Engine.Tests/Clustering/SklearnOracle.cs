using System.Globalization;
using System.Text.Json;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>scikit-learn's DBSCAN on the same vectors, run by /usr/bin/python3 with sklearn_dbscan.py.</summary>
public sealed class SklearnOracle
{
    public const string InstallHint = "install python3-sklearn for /usr/bin/python3: apt-get update && apt-get install -y python3-sklearn";

    public required int[] Labels { get; init; }
    public required int[] Core { get; init; }
    public required int[] NearestCore { get; init; }
    public required double Seconds { get; init; }
    public required long MaxRssKb { get; init; }

    /// <summary>Runs sklearn_dbscan.py on the vectors. Throws when sklearn is missing.</summary>
    public static SklearnOracle Run(IReadOnlyList<float[]> vectors, double eps, int minSamples, DistanceMetric metric, string scriptPath)
    {
        JsonElement root = PythonOracle.Run(scriptPath, vectors, InstallHint,
            eps.ToString("R", CultureInfo.InvariantCulture), minSamples.ToString(CultureInfo.InvariantCulture),
            metric == DistanceMetric.Cosine ? "cosine" : "euclidean");
        return new SklearnOracle
        {
            Labels = Ints(root.GetProperty("labels")),
            Core = Ints(root.GetProperty("core")),
            NearestCore = Ints(root.GetProperty("nearest_core")),
            Seconds = root.GetProperty("seconds").GetDouble(),
            MaxRssKb = root.GetProperty("max_rss_kb").GetInt64(),
        };
    }

    internal static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
