using System.Numerics.Tensors;
using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using SkiaSharp;

namespace FaceCluster.Engine.Embedding;

/// <summary>The identity network: an aligned 112x112 RGB face, (p − 127) / 128, to an L2-normalised vector.</summary>
internal sealed class FaceEmbedder
{
    private readonly OnnxModel _model;

    public FaceEmbedder(OnnxModel model)
    {
        _model = model;
    }

    public float[] Embed(SKBitmap alignedFace)
    {
        var input = new float[3 * FaceAligner.Size * FaceAligner.Size];
        PixelTensor.FillChw(alignedFace, input, 127f, 128f);
        var vector = _model.Run(input, [1, 3, FaceAligner.Size, FaceAligner.Size])[0];
        Normalize(vector);
        return vector;
    }

    /// <summary>Scales <paramref name="vector"/> to unit length (left alone if it is all zeros).</summary>
    public static void Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
