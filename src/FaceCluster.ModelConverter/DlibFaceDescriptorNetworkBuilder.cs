using Onnx;

namespace FaceCluster.ModelConverter;

/// <summary>
/// Builds the ONNX graph of dlib's face descriptor network (dlib_face_recognition_resnet_model_v1) exactly as
/// face-api's <c>FaceRecognitionNet.forwardInput</c> runs it, in NCHW layout:
/// <list type="bullet">
/// <item>input <c>input</c> [batch, 3, 150, 150]: RGB already normalised as face-api does,
/// <c>(pixel - [122.782, 117.001, 104.298]) / 255</c> (the normalisation lives in packs.json, not in the graph);</item>
/// <item>conv32_down: 7x7 stride 2 'valid' convolution + ReLU, then 3x3 stride 2 'valid' max pool;</item>
/// <item>residual blocks: 3x3 stride 1 'same' convolution + ReLU, 3x3 'same' convolution, add the input, ReLU;</item>
/// <item>down blocks: 3x3 stride 2 'valid' convolution + ReLU, 3x3 'same' convolution, zero row/column appended
/// at the bottom/right when the 2x2 stride 2 average-pool shortcut is one larger, shortcut zero-padded in
/// channels when the width doubles, add, ReLU;</item>
/// <item>mean over height and width, then 256x128 matrix product: output <c>descriptor</c> [batch, 128].</item>
/// </list>
/// Each convolution has its scale layer folded in (<see cref="FoldedConvolution"/>).
/// </summary>
internal sealed class DlibFaceDescriptorNetworkBuilder
{
    public const string InputName = "input";
    public const string OutputName = "descriptor";
    public const int ChipSize = 150;
    public const int DescriptorLength = 128;

    private readonly IReadOnlyDictionary<string, TfjsTensor> _weights;
    private readonly OnnxGraphBuilder _graph = new("dlib_face_recognition_resnet_model_v1");
    private int _size = ChipSize;
    private int _channels = 3;

    private DlibFaceDescriptorNetworkBuilder(IReadOnlyDictionary<string, TfjsTensor> weights)
    {
        _weights = weights;
    }

    public static GraphProto Build(IReadOnlyDictionary<string, TfjsTensor> weights) => new DlibFaceDescriptorNetworkBuilder(weights).BuildGraph();

    private GraphProto BuildGraph()
    {
        _graph.AddInput(InputName, "batch", 3, ChipSize, ChipSize);

        string x = Convolution(InputName, "conv32_down", stride: 2, samePadding: false, relu: true);
        x = _graph.AddNode("MaxPool", "pool32_down", [x], OnnxGraphBuilder.Ints("kernel_shape", 3, 3), OnnxGraphBuilder.Ints("strides", 2, 2));
        _size = ValidOutputSize(_size, 3, 2);

        x = Residual(x, "conv32_1");
        x = Residual(x, "conv32_2");
        x = Residual(x, "conv32_3");

        x = ResidualDown(x, "conv64_down");
        x = Residual(x, "conv64_1");
        x = Residual(x, "conv64_2");
        x = Residual(x, "conv64_3");

        x = ResidualDown(x, "conv128_down");
        x = Residual(x, "conv128_1");
        x = Residual(x, "conv128_2");

        x = ResidualDown(x, "conv256_down");
        x = Residual(x, "conv256_1");
        x = Residual(x, "conv256_2");
        x = ResidualDown(x, "conv256_down_out");

        x = _graph.AddNode("ReduceMean", "global_mean", [x], OnnxGraphBuilder.Ints("axes", 2, 3), OnnxGraphBuilder.Int("keepdims", 0));

        if (!_weights.TryGetValue("fc", out TfjsTensor? fc) || fc.Shape.Length != 2 || fc.Shape[0] != _channels || fc.Shape[1] != DescriptorLength)
        {
            throw new InvalidDataException($"The weights manifest needs 'fc' of shape [{_channels}, {DescriptorLength}].");
        }

        string fcWeights = _graph.AddFloatInitializer("fc/weights", [fc.Shape[0], fc.Shape[1]], fc.Values);
        _graph.AddNode("MatMul", OutputName, [x, fcWeights]);
        _graph.AddOutput(OutputName, "batch", DescriptorLength);
        return _graph.Graph;
    }

    private string Residual(string x, string prefix)
    {
        string branch = Convolution(x, $"{prefix}/conv1", stride: 1, samePadding: true, relu: true);
        branch = Convolution(branch, $"{prefix}/conv2", stride: 1, samePadding: true, relu: false);
        string sum = _graph.AddNode("Add", $"{prefix}/add", [branch, x]);
        return _graph.AddNode("Relu", $"{prefix}/relu", [sum]);
    }

    private string ResidualDown(string x, string prefix)
    {
        int inputSize = _size;
        int inputChannels = _channels;

        string branch = Convolution(x, $"{prefix}/conv1", stride: 2, samePadding: false, relu: true);
        branch = Convolution(branch, $"{prefix}/conv2", stride: 1, samePadding: true, relu: false);
        int branchSize = _size;
        int outputChannels = _channels;

        string shortcut = _graph.AddNode("AveragePool", $"{prefix}/shortcut_pool", [x], OnnxGraphBuilder.Ints("kernel_shape", 2, 2), OnnxGraphBuilder.Ints("strides", 2, 2));
        int shortcutSize = ValidOutputSize(inputSize, 2, 2);

        if (shortcutSize != branchSize)
        {
            // face-api concatenates one zero row (bottom) and one zero column (right) onto the branch.
            if (shortcutSize != branchSize + 1)
            {
                throw new InvalidDataException($"{prefix}: shortcut {shortcutSize} and branch {branchSize} differ by more than one.");
            }

            string pads = _graph.AddInt64Initializer($"{prefix}/branch_pads", [0, 0, 0, 0, 0, 0, 1, 1]);
            branch = _graph.AddNode("Pad", $"{prefix}/branch_pad", [branch, pads]);
            _size = shortcutSize;
        }

        if (inputChannels != outputChannels)
        {
            // face-api concatenates zeros of the shortcut's own shape: the width must exactly double.
            if (outputChannels != 2 * inputChannels)
            {
                throw new InvalidDataException($"{prefix}: cannot zero-pad {inputChannels} shortcut channels to {outputChannels}.");
            }

            string pads = _graph.AddInt64Initializer($"{prefix}/shortcut_pads", [0, 0, 0, 0, 0, inputChannels, 0, 0]);
            shortcut = _graph.AddNode("Pad", $"{prefix}/shortcut_pad", [shortcut, pads]);
        }

        string sum = _graph.AddNode("Add", $"{prefix}/add", [shortcut, branch]);
        return _graph.AddNode("Relu", $"{prefix}/relu", [sum]);
    }

    private string Convolution(string x, string prefix, int stride, bool samePadding, bool relu)
    {
        FoldedConvolution convolution = FoldedConvolution.FromConvolutionAndScale(_weights, prefix);
        if (convolution.InputChannels != _channels)
        {
            throw new InvalidDataException($"{prefix}: expects {convolution.InputChannels} input channels, the graph has {_channels}.");
        }

        int k = convolution.KernelSize;
        if (samePadding && (stride != 1 || k % 2 == 0))
        {
            throw new InvalidDataException($"{prefix}: 'same' padding is only supported for odd kernels at stride 1.");
        }

        long pad = samePadding ? k / 2 : 0;
        string output = _graph.AddConvolution(x, convolution, stride, [pad, pad, pad, pad]);

        _channels = convolution.OutputChannels;
        _size = samePadding ? _size : ValidOutputSize(_size, k, stride);
        return relu ? _graph.AddNode("Relu", $"{prefix}/relu", [output]) : output;
    }

    private static int ValidOutputSize(int size, int kernel, int stride) => ((size - kernel) / stride) + 1;
}
