namespace FaceCluster.ModelConverter;

/// <summary>
/// A TensorFlow.js convolution in ONNX layout (filters reordered from TensorFlow's HWIO to ONNX's OIHW) with the
/// per-channel affine layer that follows it folded in: <c>(conv(x, W) + b) * s + t == conv(x, W * s) + (b * s + t)</c>.
/// A depthwise convolution has <see cref="Groups"/> = <see cref="OutputChannels"/> and one input channel per group.
/// </summary>
internal sealed record FoldedConvolution(string Name, int OutputChannels, int InputChannels, int KernelSize, float[] WeightsOihw, float[] Bias)
{
    /// <summary>ONNX's <c>group</c> attribute: 1 for a full convolution, the channel count for a depthwise one.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Reads <c>{prefix}/conv/filters</c>, <c>{prefix}/conv/bias</c>, <c>{prefix}/scale/weights</c> and <c>{prefix}/scale/biases</c> (face-api's dlib network).</summary>
    public static FoldedConvolution FromConvolutionAndScale(IReadOnlyDictionary<string, TfjsTensor> weights, string prefix)
    {
        TfjsTensor filters = Require(weights, $"{prefix}/conv/filters", 4);
        TfjsTensor bias = Require(weights, $"{prefix}/conv/bias", 1);
        TfjsTensor scale = Require(weights, $"{prefix}/scale/weights", 1);
        TfjsTensor shift = Require(weights, $"{prefix}/scale/biases", 1);
        RequirePerChannel(filters.Shape[3], bias, scale, shift);

        var foldedBias = new float[bias.ElementCount];
        for (int o = 0; o < foldedBias.Length; o++)
        {
            foldedBias[o] = (bias.Values[o] * scale.Values[o]) + shift.Values[o];
        }

        return FromFilters(prefix, filters, scale.Values, foldedBias);
    }

    /// <summary>A convolution (HWIO <paramref name="filtersName"/>) followed by a bias add (<paramref name="biasName"/>), nothing to fold.</summary>
    public static FoldedConvolution FromConvolutionAndBias(IReadOnlyDictionary<string, TfjsTensor> weights, string name, string filtersName, string biasName)
    {
        TfjsTensor filters = Require(weights, filtersName, 4);
        TfjsTensor bias = Require(weights, biasName, 1);
        RequirePerChannel(filters.Shape[3], bias);
        return FromFilters(name, filters, null, bias.Values);
    }

    /// <summary>
    /// A depthwise convolution (<c>{prefix}/depthwise_weights</c>, [H, W, C, 1]) followed by tfjs's <c>batchNorm</c>
    /// with <c>{prefix}/BatchNorm/gamma, beta, moving_mean, moving_variance</c>:
    /// <c>(x - mean) * gamma / sqrt(variance + epsilon) + beta</c>, folded into the filters and a bias.
    /// </summary>
    public static FoldedConvolution FromDepthwiseAndBatchNorm(IReadOnlyDictionary<string, TfjsTensor> weights, string prefix, double epsilon)
    {
        TfjsTensor filters = Require(weights, $"{prefix}/depthwise_weights", 4);
        TfjsTensor gamma = Require(weights, $"{prefix}/BatchNorm/gamma", 1);
        TfjsTensor beta = Require(weights, $"{prefix}/BatchNorm/beta", 1);
        TfjsTensor mean = Require(weights, $"{prefix}/BatchNorm/moving_mean", 1);
        TfjsTensor variance = Require(weights, $"{prefix}/BatchNorm/moving_variance", 1);
        int channels = filters.Shape[2];
        if (filters.Shape[3] != 1)
        {
            throw new InvalidDataException($"{prefix}: only a depthwise multiplier of 1 is supported, not {filters.Shape[3]}.");
        }

        RequirePerChannel(channels, gamma, beta, mean, variance);
        var scale = new float[channels];
        var bias = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double factor = gamma.Values[c] / Math.Sqrt(variance.Values[c] + epsilon);
            scale[c] = (float)factor;
            bias[c] = (float)(beta.Values[c] - (mean.Values[c] * factor));
        }

        // [H, W, C, 1] holds its values in the order of [H, W, 1, C]: read as HWIO with 1 input and C outputs, it becomes
        // ONNX's depthwise [C, 1, H, W], each output channel scaled by its own batch-norm factor.
        TfjsTensor oneInputPerChannel = filters with { Shape = [filters.Shape[0], filters.Shape[1], 1, channels] };
        return FromFilters(prefix, oneInputPerChannel, scale, bias) with { Groups = channels };
    }

    /// <summary>HWIO filters to OIHW, each output channel multiplied by <paramref name="outputScale"/> (when given).</summary>
    private static FoldedConvolution FromFilters(string name, TfjsTensor filters, float[]? outputScale, float[] bias)
    {
        int height = filters.Shape[0];
        int width = filters.Shape[1];
        int inputs = filters.Shape[2];
        int outputs = filters.Shape[3];
        if (height != width)
        {
            throw new InvalidDataException($"{name}: only square kernels are supported, not {height}x{width}.");
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
                        oihw[(((((o * inputs) + i) * height) + h) * width) + w] = outputScale is null ? value : value * outputScale[o];
                    }
                }
            }
        }

        return new FoldedConvolution(name, outputs, inputs, height, oihw, bias);
    }

    private static void RequirePerChannel(int channels, params TfjsTensor[] perChannel)
    {
        foreach (TfjsTensor tensor in perChannel)
        {
            if (tensor.Shape[0] != channels)
            {
                throw new InvalidDataException($"{tensor.Name} has {tensor.Shape[0]} values for {channels} output channels.");
            }
        }
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
