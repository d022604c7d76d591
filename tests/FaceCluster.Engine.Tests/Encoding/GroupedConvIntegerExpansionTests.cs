using FaceCluster.Engine.Encoding;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace FaceCluster.Engine.Tests.Encoding;

/// <summary>
/// The rewrites of a dynamically quantised network (grouped ConvInteger to float Conv, PRelu after the bias Add):
/// gone from the graph, and the same bits out of it. On a small graph built here, and on the shared ArcFace network.
/// </summary>
public sealed class GroupedConvIntegerExpansionTests
{
    private const string ArcFace = "w600k_mbf_int8.onnx";

    [Fact]
    public void QuantisedDepthwiseBlockGivesTheSameBits()
    {
        var original = QuantisedDepthwiseBlock(channels: 8, kernel: 3, weight: i => (byte)(i * 37 % 256));

        var rewritten = ModelProto.Parser.ParseFrom(ModelRewrites.Apply(original)).Graph;

        Assert.DoesNotContain(rewritten.Node, n => n.OpType is "ConvInteger" or "PRelu" or "Cast");
        var read = rewritten.Node.SelectMany(n => n.Input).ToHashSet();
        Assert.All(rewritten.Initializer, i => Assert.Contains(i.Name, read));
        AssertSameBits(original, [1, 8, 10, 10], chips: 8);
    }

    [Fact]
    public void ConvIntegerWhoseSumsCouldReach2To24IsLeft()
    {
        // 17 x 17 weights of 255 - 0 against inputs up to 255 from their zero point: a sum can pass 2^24.
        var model = QuantisedDepthwiseBlock(channels: 2, kernel: 17, weight: _ => 255);

        Assert.Same(model, GroupedConvIntegerExpansion.Apply(model));
    }

    [Fact]
    public void UngroupedConvIntegerIsLeft()
    {
        var model = QuantisedDepthwiseBlock(channels: 1, kernel: 3, weight: i => (byte)i);

        Assert.Same(model, GroupedConvIntegerExpansion.Apply(model));
    }

    [SharedModelFact(ArcFace)]
    public void ArcFaceNetworkGivesTheSameBits()
    {
        var original = File.ReadAllBytes(SharedModelFactAttribute.Find(ArcFace)!);
        var before = ModelProto.Parser.ParseFrom(original).Graph.Node;
        Assert.Equal(49, before.Count(n => n.OpType == "ConvInteger"));
        Assert.Equal(34, before.Count(n => n.OpType == "PRelu"));

        var after = ModelProto.Parser.ParseFrom(ModelRewrites.Apply(original)).Graph.Node;

        // The 16 depthwise convolutions become float; the 33 pointwise ones stay quantised matrix products.
        Assert.Equal(33, after.Count(n => n.OpType == "ConvInteger"));
        Assert.DoesNotContain(after, n => n.OpType == "PRelu");
        AssertSameBits(original, [1, 3, 112, 112], chips: 4);
    }

    /// <summary>The network as it is and as <see cref="OnnxModel"/> runs it give the same bits on random inputs.</summary>
    private static void AssertSameBits(byte[] model, long[] shape, int chips)
    {
        using var folder = new TempDirectory();
        string path = folder.File("model.onnx");
        File.WriteAllBytes(path, model);
        using var rewritten = new OnnxModel(path, 1);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        using var session = new InferenceSession(model, options);
        var random = new Random(11);
        for (int chip = 0; chip < chips; chip++)
        {
            // Normalised chips lie in [-1, 1]; a wider range and exact zeros as well.
            float range = chip % 2 == 0 ? 1 : 40;
            var input = Enumerable.Range(0, (int)shape.Aggregate((a, b) => a * b))
                .Select(i => i % 97 == 0 ? 0f : (float)((random.NextDouble() * 2 - 1) * range)).ToArray();
            using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var run = new RunOptions();
            using var outputs = session.Run(run, [session.InputMetadata.Keys.Single()], [value], [session.OutputMetadata.Keys.First()]);
            float[] want = outputs[0].GetTensorDataAsSpan<float>().ToArray();

            float[] got = rewritten.Run(input, shape)[0];

            Assert.Equal(want, got);
        }
    }

    /// <summary>
    /// One block as dynamic quantisation writes it: DynamicQuantizeLinear, ConvInteger (depthwise where channels &gt; 1,
    /// uint8 weights, zero point 3), Cast, Mul by the scales, Add of a reshaped bias, PRelu; input 1 x C x 10 x 10.
    /// </summary>
    private static byte[] QuantisedDepthwiseBlock(int channels, int kernel, Func<int, byte> weight)
    {
        var graph = new GraphProto { Name = "block" };
        graph.Input.Add(Value("x", channels));
        graph.Output.Add(Value("y", channels));
        graph.Initializer.Add(Tensor("w", TensorProto.Types.DataType.Uint8, [channels, 1, kernel, kernel],
            ByteString.CopyFrom(Enumerable.Range(0, channels * kernel * kernel).Select(weight).ToArray())));
        graph.Initializer.Add(Tensor("w_zero_point", TensorProto.Types.DataType.Uint8, [], ByteString.CopyFrom(3)));
        graph.Initializer.Add(Floats("w_scale", [], [0.0123f]));
        graph.Initializer.Add(Floats("bias", [channels], Enumerable.Range(0, channels).Select(c => c * 0.25f - 1).ToArray()));
        graph.Initializer.Add(Tensor("bias_shape", TensorProto.Types.DataType.Int64, [4],
            ByteString.CopyFrom(new long[] { 1, channels, 1, 1 }.SelectMany(BitConverter.GetBytes).ToArray())));
        graph.Initializer.Add(Floats("slope", [channels, 1, 1], Enumerable.Range(0, channels).Select(c => 0.1f + c * 0.03f).ToArray()));

        graph.Node.Add(Node("DynamicQuantizeLinear", ["x"], ["xq", "x_scale", "x_zero_point"]));
        var conv = Node("ConvInteger", ["xq", "w", "x_zero_point", "w_zero_point"], ["conv"]);
        conv.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = channels });
        conv.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { kernel / 2, kernel / 2, kernel / 2, kernel / 2 } });
        graph.Node.Add(conv);
        var cast = Node("Cast", ["conv"], ["conv_float"]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (int)TensorProto.Types.DataType.Float });
        graph.Node.Add(cast);
        graph.Node.Add(Node("Mul", ["x_scale", "w_scale"], ["scale"]));
        graph.Node.Add(Node("Mul", ["conv_float", "scale"], ["scaled"]));
        graph.Node.Add(Node("Reshape", ["bias", "bias_shape"], ["bias_4d"]));
        graph.Node.Add(Node("Add", ["scaled", "bias_4d"], ["biased"]));
        graph.Node.Add(Node("PRelu", ["biased", "slope"], ["y"]));

        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 11 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, int channels)
    {
        var shape = new TensorShapeProto();
        foreach (long dim in new long[] { 1, channels, 10, 10 })
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Floats(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, long[] dims, ByteString raw)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = raw };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{outputs[0]}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }
}
