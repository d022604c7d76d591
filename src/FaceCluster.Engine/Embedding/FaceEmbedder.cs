using System.Numerics.Tensors;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Models;
using SkiaSharp;

namespace FaceCluster.Engine.Embedding;

/// <summary>
/// The identity network: an aligned square RGB chip, normalised as the pack's <see cref="EmbeddingInput"/> says, to a
/// vector; several chips of one face (jitter) are averaged; unit length when the pack asks for it.
/// </summary>
internal sealed class FaceEmbedder
{
    private readonly OnnxModel _model;
    private readonly EmbeddingInput _input;

    public FaceEmbedder(OnnxModel model, EmbeddingInput input)
    {
        _model = model;
        _input = input;
    }

    /// <summary>The mean of the chips' vectors, scaled to unit length when the pack normalises its output.</summary>
    public float[] Embed(IReadOnlyList<SKBitmap> chips)
    {
        if (chips.Count == 0)
        {
            throw new ArgumentException("At least one chip is needed.", nameof(chips));
        }

        float[]? sum = null;
        foreach (var chip in chips)
        {
            int size = chip.Width;
            var input = new float[3 * size * size];
            PixelTensor.FillChw(chip, input, _input.MeanRgb[0], _input.MeanRgb[1], _input.MeanRgb[2],
                _input.StdRgb[0], _input.StdRgb[1], _input.StdRgb[2], _input.Bgr);
            var vector = _model.Run(input, [1, 3, size, size])[0];
            if (sum is null)
            {
                sum = vector;
            }
            else
            {
                TensorPrimitives.Add(sum, vector, sum);
            }
        }

        if (chips.Count > 1)
        {
            TensorPrimitives.Divide(sum!, chips.Count, sum!);
        }

        if (_input.NormalizeOutput)
        {
            Normalize(sum);
        }

        return sum!;
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
