using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaceCluster.Model;

namespace FaceCluster.Engine.Calibration;

/// <summary>Writes a calibration into a pack definition (one entry of packs.json's "packs", as JSON), keeping every other property.</summary>
public static class PackDefinitionWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The definition's "metric" (Cosine or Euclidean).</summary>
    /// <exception cref="FormatException">The text is not a JSON object with a known "metric".</exception>
    public static DistanceMetric ReadMetric(string definitionJson)
    {
        JsonObject pack = Parse(definitionJson);
        string? metric = pack["metric"]?.GetValueKind() == JsonValueKind.String ? pack["metric"]!.GetValue<string>() : null;
        return Enum.TryParse(metric, ignoreCase: true, out DistanceMetric m) && Enum.IsDefined(m)
            ? m
            : throw new FormatException($"The pack definition's \"metric\" is '{metric}'; it must be Cosine or Euclidean.");
    }

    /// <summary>
    /// The definition with "linkageThreshold" and "libraryThreshold" (maxThreshold, falsePairShare, differentPeople)
    /// from <paramref name="calibration"/>; the table stops at the ceiling. Without a ceiling the definition's own
    /// maxThreshold stays (it must have one).
    /// </summary>
    /// <exception cref="FormatException">The text is not a JSON object, or there is no ceiling at all.</exception>
    public static string Apply(string definitionJson, ModelPackCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        JsonObject pack = Parse(definitionJson);
        JsonObject rule = pack["libraryThreshold"] as JsonObject ?? new JsonObject();
        double ceiling = calibration.MaxThreshold
            ?? (rule["maxThreshold"]?.GetValueKind() == JsonValueKind.Number ? rule["maxThreshold"]!.GetValue<double>()
                : throw new FormatException("Too few people with enough photos to measure the ceiling, and the definition has no libraryThreshold.maxThreshold."));
        int entries = Math.Clamp((int)Math.Round((ceiling - calibration.DistanceFrom) / calibration.DistanceStep) + 1, 1, calibration.ShareAtOrBelow.Count);
        pack["linkageThreshold"] = Math.Min(calibration.LinkageThreshold, ceiling);
        rule["maxThreshold"] = ceiling;
        rule["falsePairShare"] = calibration.FalsePairShare;
        rule["differentPeople"] = new JsonObject
        {
            ["from"] = calibration.DistanceFrom,
            ["step"] = calibration.DistanceStep,
            ["shareAtOrBelow"] = new JsonArray(calibration.ShareAtOrBelow.Take(entries).Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
        };
        pack["libraryThreshold"] = rule;
        return pack.ToJsonString(Indented) + Environment.NewLine;
    }

    private static JsonObject Parse(string definitionJson)
    {
        try
        {
            return JsonNode.Parse(definitionJson) as JsonObject ?? throw new FormatException("A pack definition must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The pack definition is not valid JSON: {e.Message}", e);
        }
    }
}
