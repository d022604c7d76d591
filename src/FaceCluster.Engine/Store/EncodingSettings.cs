using System.Globalization;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Models;

namespace FaceCluster.Engine.Store;

/// <summary>
/// Everything that changes which faces a photo gives and their vectors: the engine's version, the model pack (its
/// name, detector and the SHA-256 of each network it runs) and every option of <see cref="FaceEncoderOptions"/> but
/// the thread count. The store keeps entries of different settings apart, so a change is never served old results.
/// </summary>
public static class EncodingSettings
{
    /// <summary>A canonical text of the settings: equal texts give equal encodings.</summary>
    public static string Describe(ModelPack pack, FaceEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(options);
        var networks = new[] { ModelFileRole.Detector, ModelFileRole.Landmarks, ModelFileRole.Embedding }
            .Select(role => $"{role}={pack.GetFile(role).Sha256.ToLowerInvariant()}");
        return string.Join("; ",
            $"engine={typeof(EncodingSettings).Assembly.GetName().Version}",
            $"pack={pack.Name}",
            $"detector={pack.Detector}",
            string.Join("; ", networks),
            $"minConfidence={options.MinConfidence.ToString("R", CultureInfo.InvariantCulture)}",
            $"minFaceSize={options.MinFaceSize.ToString(CultureInfo.InvariantCulture)}",
            $"maxImageSize={options.MaxImageSize.ToString(CultureInfo.InvariantCulture)}",
            $"jitter={options.Jitter.ToString(CultureInfo.InvariantCulture)}");
    }
}
