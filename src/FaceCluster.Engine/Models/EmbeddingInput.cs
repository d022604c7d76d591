namespace FaceCluster.Engine.Models;

/// <summary>
/// How a pack's embedding network wants its chip (packs.json "input"): planar RGB or BGR, value =
/// (pixel - mean[channel]) / std[channel]; and whether the output vector is scaled to unit length (L2).
/// </summary>
public sealed record EmbeddingInput(bool Bgr, IReadOnlyList<float> MeanRgb, IReadOnlyList<float> StdRgb, bool NormalizeOutput)
{
    /// <summary>The faceplugin (ArcFace-style) network: RGB, (p - 127) / 128, unit-length output.</summary>
    public static EmbeddingInput ArcFace { get; } = new(false, [127f, 127f, 127f], [128f, 128f, 128f], true);
}
