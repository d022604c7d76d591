using Google.Protobuf;
using Onnx;

namespace FaceCluster.ModelConverter;

/// <summary>Appends initializers and nodes to an ONNX <see cref="GraphProto"/> with unique, readable names.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName)
    {
        Graph = new GraphProto { Name = graphName };
    }

    public GraphProto Graph { get; }

    public void AddInput(string name, params DimensionOrSize[] shape) => Graph.Input.Add(FloatValueInfo(name, shape));

    public void AddOutput(string name, params DimensionOrSize[] shape) => Graph.Output.Add(FloatValueInfo(name, shape));

    public string AddFloatInitializer(string name, long[] dimensions, float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return AddInitializer(name, TensorProto.Types.DataType.Float, dimensions, bytes);
    }

    public string AddInt64Initializer(string name, long[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(long)), values[i]);
        }

        return AddInitializer(name, TensorProto.Types.DataType.Int64, [values.Length], bytes);
    }

    public string AddNode(string operatorType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        Claim(name);
        var node = new NodeProto { OpType = operatorType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return name;
    }

    /// <summary>
    /// Adds <c>{name}/weights</c>, <c>{name}/bias</c> and the Conv node <c>{name}/conv</c> (explicit
    /// <paramref name="pads"/> in ONNX's order: top, left, bottom, right; a <c>group</c> attribute only for a grouped convolution).
    /// </summary>
    public string AddConvolution(string input, FoldedConvolution convolution, int stride, long[] pads)
    {
        int k = convolution.KernelSize;
        string weights = AddFloatInitializer($"{convolution.Name}/weights", [convolution.OutputChannels, convolution.InputChannels, k, k], convolution.WeightsOihw);
        string bias = AddFloatInitializer($"{convolution.Name}/bias", [convolution.OutputChannels], convolution.Bias);
        var attributes = new List<AttributeProto> { Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", pads) };
        if (convolution.Groups != 1)
        {
            attributes.Add(Int("group", convolution.Groups));
        }

        return AddNode("Conv", $"{convolution.Name}/conv", [input, weights, bias], [.. attributes]);
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private string AddInitializer(string name, TensorProto.Types.DataType dataType, long[] dimensions, byte[] littleEndianBytes)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; the converter runs on little-endian machines only.");
        }

        Claim(name);
        var tensor = new TensorProto { Name = name, DataType = (int)dataType, RawData = ByteString.CopyFrom(littleEndianBytes) };
        tensor.Dims.AddRange(dimensions);
        Graph.Initializer.Add(tensor);
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
        }
    }

    private static ValueInfoProto FloatValueInfo(string name, DimensionOrSize[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (DimensionOrSize dimension in shape)
        {
            tensorShape.Dim.Add(dimension.SymbolicName is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dimension.Size });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape },
            },
        };
    }
}
