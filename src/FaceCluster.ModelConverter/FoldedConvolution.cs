namespace FaceCluster.ModelConverter;

/// <summary>
/// A convolution with face-api's following scale layer folded in, in ONNX layout:
/// <c>(conv(x, W) + b) * s + t == conv(x, W * s) + (b * s + t)</c>, filters reordered from TensorFlow's HWIO to
/// ONNX's OIHW.
/// </summary>
internal sealed record FoldedConvolution(string Name, int OutputChannels, int InputChannels, int KernelSize, float[] WeightsOihw, float[] Bias)
{
    /// <summary>Reads <c>{prefix}/conv/filters</c>, <c>{prefix}/conv/bias</c>, <c>{prefix}/scale/weights</c> and <c>{prefix}/scale/biases</c>.</summary>
    public static FoldedConvolution FromConvolutionAndScale(IReadOnlyDictionary<string, TfjsTensor> weights, string prefix)
    {
        TfjsTensor filters = Require(weights, $"{prefix}/conv/filters", 4);
        TfjsTensor bias = Require(weights, $"{prefix}/conv/bias", 1);
        TfjsTensor scale = Require(weights, $"{prefix}/scale/weights", 1);
        TfjsTensor shift = Require(weights, $"{prefix}/scale/biases", 1);

        int height = filters.Shape[0];
        int width = filters.Shape[1];
        int inputs = filters.Shape[2];
        int outputs = filters.Shape[3];
        if (height != width)
        {
            throw new InvalidDataException($"{prefix}: only square kernels are supported, not {height}x{width}.");
        }

        foreach (TfjsTensor perChannel in new[] { bias, scale, shift })
        {
            if (perChannel.Shape[0] != outputs)
            {
                throw new InvalidDataException($"{perChannel.Name} has {perChannel.Shape[0]} values for {outputs} output channels.");
            }
        }

        var oihw = new float[filters.ElementCount];
        for (int h = 0; h < height; h++)
        {
            for (int w = 0; w < width; w++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    for (int o = 0; o < outputs; o++)
                    {
                        float value = filters.Values[(((((h * width) + w) * inputs) + i) * outputs) + o];
                        oihw[(((((o * inputs) + i) * height) + h) * width) + w] = value * scale.Values[o];
                    }
                }
            }
        }

        var foldedBias = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            foldedBias[o] = (bias.Values[o] * scale.Values[o]) + shift.Values[o];
        }

        return new FoldedConvolution(prefix, outputs, inputs, height, oihw, foldedBias);
    }

    private static TfjsTensor Require(IReadOnlyDictionary<string, TfjsTensor> weights, string name, int rank)
    {
        if (!weights.TryGetValue(name, out TfjsTensor? tensor))
        {
            throw new InvalidDataException($"The weights manifest has no '{name}'.");
        }

        if (tensor.Shape.Length != rank)
        {
            throw new InvalidDataException($"'{name}' has rank {tensor.Shape.Length}, expected {rank}.");
        }

        return tensor;
    }
}
