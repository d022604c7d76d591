namespace FaceCluster.Engine.Encoding;

/// <summary>
/// The rewrites every network gets before its session is made: each gives the same output bits in operators that
/// ONNX Runtime's CPU runs faster.
/// </summary>
internal static class ModelRewrites
{
    /// <summary>The model rewritten; <paramref name="model"/> itself when nothing applies.</summary>
    public static byte[] Apply(byte[] model) => PReluExpansion.Apply(GroupedConvIntegerExpansion.Apply(model));
}
