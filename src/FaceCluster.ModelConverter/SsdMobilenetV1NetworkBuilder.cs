using Onnx;

namespace FaceCluster.ModelConverter;

/// <summary>
/// Builds the ONNX graph of face-api's SSD MobileNet v1 face detector exactly as its <c>SsdMobilenetv1.forwardInput</c>
/// runs it (src/ssdMobilenetv1: mobileNetV1.ts, predictionLayer.ts, boxPredictionLayer.ts, outputLayer.ts), in NCHW layout:
/// <list type="bullet">
/// <item>input <c>input</c> [batch, 3, 512, 512]: RGB already normalised as face-api does, <c>pixel / 127.5 - 1</c>, of the
/// photo padded at the bottom or right to a square (black) and resized to 512x512 (padding, resize and normalisation
/// are the engine's, not the graph's);</item>
/// <item>MobileNet v1: a 3x3 stride 2 convolution, then 13 pairs of a 3x3 depthwise convolution (stride 2 at pairs 2, 4,
/// 6 and 12) with batch norm (epsilon 0.001) and a 1x1 convolution, each followed by ReLU6; TensorFlow's 'same' padding
/// throughout (the odd pixel of padding at the bottom and right);</item>
/// <item>prediction layer: 8 more convolutions (+ ReLU6) and six box predictors (1x1 convolutions, no activation) on
/// the outputs of pair 11, pair 13 and extra convolutions 1, 3, 5 and 7: 5118 anchors in all;</item>
/// <item>output layer: the anchors (<c>Output/extra_dim</c>) decode the box encodings with scale factors 10, 10, 5, 5
/// (outputLayer.ts <c>decodeBoxesLayer</c>); the face score is the sigmoid of class 1.</item>
/// </list>
/// Outputs: <c>boxes</c> [batch, 5118, 4] as (top, left, bottom, right) in units of the padded square (0..1 inside it,
/// not clipped) and <c>scores</c> [batch, 5118]. Non-maximum suppression is left to the caller.
/// </summary>
internal sealed class SsdMobilenetV1NetworkBuilder
{
    public const string InputName = "input";
    public const string BoxesOutputName = "boxes";
    public const string ScoresOutputName = "scores";
    public const int InputSize = 512;

    /// <summary>mobileNetV1.ts: the batch norm epsilon, the float32 value of 0.001 as face-api writes it.</summary>
    private const double BatchNormEpsilon = 0.0010000000474974513;

    private static readonly int[] StrideTwoPairs = [2, 4, 6, 12];

    private readonly IReadOnlyDictionary<string, TfjsTensor> _weights;
    private readonly OnnxGraphBuilder _graph = new("ssd_mobilenetv1");
    private readonly Dictionary<string, int> _sizes = new(StringComparer.Ordinal);

    private SsdMobilenetV1NetworkBuilder(IReadOnlyDictionary<string, TfjsTensor> weights)
    {
        _weights = weights;
    }

    public static GraphProto Build(IReadOnlyDictionary<string, TfjsTensor> weights) => new SsdMobilenetV1NetworkBuilder(weights).BuildGraph();

    private GraphProto BuildGraph()
    {
        _graph.AddInput(InputName, "batch", 3, InputSize, InputSize);
        _sizes[InputName] = InputSize;
        string relu6Min = _graph.AddFloatInitializer("relu6/min", [], [0f]);
        string relu6Max = _graph.AddFloatInitializer("relu6/max", [], [6f]);

        // mobileNetV1.ts
        string x = Relu6(PointwiseConvolution(InputName, "MobilenetV1", 0, stride: 2), relu6Min, relu6Max);
        string conv11 = x;
        for (int pair = 1; pair <= 13; pair++)
        {
            int stride = StrideTwoPairs.Contains(pair) ? 2 : 1;
            string prefix = $"MobilenetV1/Conv2d_{pair}_depthwise";
            x = Relu6(Convolution(x, FoldedConvolution.FromDepthwiseAndBatchNorm(_weights, prefix, BatchNormEpsilon), stride), relu6Min, relu6Max);
            x = Relu6(PointwiseConvolution(x, "MobilenetV1", pair, stride: 1), relu6Min, relu6Max);
            if (pair == 11)
            {
                conv11 = x;
            }
        }

        // predictionLayer.ts
        var extra = new string[8];
        string previous = x;
        for (int i = 0; i < extra.Length; i++)
        {
            extra[i] = Relu6(PointwiseConvolution(previous, "Prediction", i, stride: i % 2 == 1 ? 2 : 1), relu6Min, relu6Max);
            previous = extra[i];
        }

        string[] predictorInputs = [conv11, x, extra[1], extra[3], extra[5], extra[7]];
        var boxEncodings = new List<string>();
        var classPredictions = new List<string>();
        for (int i = 0; i < predictorInputs.Length; i++)
        {
            boxEncodings.Add(BoxPredictor(predictorInputs[i], $"Prediction/BoxPredictor_{i}/BoxEncodingPredictor", 4));
            classPredictions.Add(BoxPredictor(predictorInputs[i], $"Prediction/BoxPredictor_{i}/ClassPredictor", 3));
        }

        string encodings = _graph.AddNode("Concat", "box_encodings", boxEncodings, OnnxGraphBuilder.Int("axis", 1));
        string classes = _graph.AddNode("Concat", "class_predictions", classPredictions, OnnxGraphBuilder.Int("axis", 1));

        // outputLayer.ts
        int anchorCount = DecodeBoxes(encodings);
        string faceClass = Slice(classes, "face_class", 1, 2);
        string faceLogits = _graph.AddNode("Squeeze", "face_logits", [faceClass, _graph.AddInt64Initializer("face_logits/axes", [2])]);
        _graph.AddNode("Sigmoid", ScoresOutputName, [faceLogits]);
        _graph.AddOutput(BoxesOutputName, "batch", anchorCount, 4);
        _graph.AddOutput(ScoresOutputName, "batch", anchorCount);
        return _graph.Graph;
    }

    /// <summary>pointwiseConvLayer.ts: <c>{prefix}/Conv2d_{index}_pointwise/weights</c> plus <c>convolution_bn_offset</c>, 'same' padding.</summary>
    private string PointwiseConvolution(string x, string prefix, int index, int stride)
    {
        string name = $"{prefix}/Conv2d_{index}_pointwise";
        return Convolution(x, FoldedConvolution.FromConvolutionAndBias(_weights, name, $"{name}/weights", $"{name}/convolution_bn_offset"), stride);
    }

    /// <summary>
    /// boxPredictionLayer.ts: a 1x1 convolution (common/convLayer.ts, no activation) whose NHWC output face-api reshapes
    /// to [batch, -1, <paramref name="valuesPerAnchor"/>]: transposed to NHWC here, then reshaped the same way.
    /// </summary>
    private string BoxPredictor(string x, string name, int valuesPerAnchor)
    {
        string predictions = Convolution(x, FoldedConvolution.FromConvolutionAndBias(_weights, name, $"{name}/weights", $"{name}/biases"), stride: 1);
        string nhwc = _graph.AddNode("Transpose", $"{name}/nhwc", [predictions], OnnxGraphBuilder.Ints("perm", 0, 2, 3, 1));
        string shape = _graph.AddInt64Initializer($"{name}/shape", [0, -1, valuesPerAnchor]);
        return _graph.AddNode("Reshape", $"{name}/per_anchor", [nhwc, shape]);
    }

    /// <summary>
    /// outputLayer.ts <c>decodeBoxesLayer</c>, with each anchor's centre and size computed here in float32 as face-api
    /// does (<c>size = max - min</c>, <c>centre = min + size / 2</c>): centre + encoding[0..1] / 10 * size, half size
    /// exp(encoding[2..3] / 5) * size / 2; output (top, left, bottom, right). Returns the anchor count.
    /// </summary>
    private int DecodeBoxes(string encodings)
    {
        if (!_weights.TryGetValue("Output/extra_dim", out TfjsTensor? anchors) || anchors.Shape is not [1, _, 4])
        {
            throw new InvalidDataException("The weights manifest needs 'Output/extra_dim' of shape [1, anchors, 4].");
        }

        int count = anchors.Shape[1];
        var centres = new float[count * 2];
        var sizes = new float[count * 2];
        for (int a = 0; a < count; a++)
        {
            for (int axis = 0; axis < 2; axis++)
            {
                float size = anchors.Values[(4 * a) + axis + 2] - anchors.Values[(4 * a) + axis];
                sizes[(2 * a) + axis] = size;
                centres[(2 * a) + axis] = anchors.Values[(4 * a) + axis] + (size / 2);
            }
        }

        string anchorCentres = _graph.AddFloatInitializer("anchors/centres", [count, 2], centres);
        string anchorSizes = _graph.AddFloatInitializer("anchors/sizes", [count, 2], sizes);
        string ten = _graph.AddFloatInitializer("decode/ten", [], [10f]);
        string five = _graph.AddFloatInitializer("decode/five", [], [5f]);
        string two = _graph.AddFloatInitializer("decode/two", [], [2f]);

        string offsets = _graph.AddNode("Div", "decode/offsets", [Slice(encodings, "decode/centre_encoding", 0, 2), ten]);
        string centre = _graph.AddNode("Add", "decode/centre", [_graph.AddNode("Mul", "decode/offsets_scaled", [offsets, anchorSizes]), anchorCentres]);
        string exponent = _graph.AddNode("Exp", "decode/scale", [_graph.AddNode("Div", "decode/log_scale", [Slice(encodings, "decode/size_encoding", 2, 4), five])]);
        string half = _graph.AddNode("Div", "decode/half_size", [_graph.AddNode("Mul", "decode/size", [exponent, anchorSizes]), two]);
        string minimum = _graph.AddNode("Sub", "decode/top_left", [centre, half]);
        string maximum = _graph.AddNode("Add", "decode/bottom_right", [centre, half]);
        _graph.AddNode("Concat", BoxesOutputName, [minimum, maximum], OnnxGraphBuilder.Int("axis", 2));
        return count;
    }

    /// <summary>Elements <paramref name="start"/> to <paramref name="end"/> (exclusive) of the last axis of a rank-3 value.</summary>
    private string Slice(string x, string name, long start, long end) => _graph.AddNode(
        "Slice",
        name,
        [x, _graph.AddInt64Initializer($"{name}/starts", [start]), _graph.AddInt64Initializer($"{name}/ends", [end]), _graph.AddInt64Initializer($"{name}/axes", [2])]);

    /// <summary>A convolution with TensorFlow's 'same' padding: the total padding split evenly, the odd pixel at the bottom and right.</summary>
    private string Convolution(string x, FoldedConvolution convolution, int stride)
    {
        int size = _sizes[x];
        int outputSize = (size + stride - 1) / stride;
        long total = Math.Max(((outputSize - 1) * stride) + convolution.KernelSize - size, 0);
        long before = total / 2;
        long after = total - before;
        string output = _graph.AddConvolution(x, convolution, stride, [before, before, after, after]);
        _sizes[output] = outputSize;
        return output;
    }

    /// <summary>tf.clipByValue(x, 0, 6).</summary>
    private string Relu6(string x, string minimum, string maximum)
    {
        string output = _graph.AddNode("Clip", x.Replace("/conv", "/relu6", StringComparison.Ordinal), [x, minimum, maximum]);
        _sizes[output] = _sizes[x];
        return output;
    }
}
