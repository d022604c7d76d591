using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace FaceCluster.Engine.Encoding;

/// <summary>
/// Rewrites each grouped (depthwise) ConvInteger whose int32 result only feeds a cast to float (as dynamic quantisation
/// writes them) into the float Conv of the same integers: DequantizeLinear(x, 1, x_zero_point) convolved with the
/// weight less its zero point, kept as float. Every product and every partial sum is an integer below 2^24, so float
/// arithmetic, in any order and with fused multiply-adds, gives the int32 sum itself, then the same float as the cast:
/// the output has the same bits. A node whose weights could make a sum reach 2^24 is left as it is. ONNX Runtime's CPU
/// ConvInteger unfolds the input of each group (im2col) for a matrix product of one channel; its float Conv has a
/// depthwise kernel. Ungrouped ConvInteger (a quantised matrix product) is left: as float it was slower, with a layout
/// reorder around each (docs/benchmarks.md).
/// </summary>
internal static class GroupedConvIntegerExpansion
{
    /// <summary>The largest magnitude float32 holds every integer up to.</summary>
    private const double ExactLimit = 1 << 24;

    /// <summary>The model with its grouped integer convolutions rewritten; <paramref name="model"/> itself when none qualifies.</summary>
    public static byte[] Apply(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet();
        var rewrites = new Dictionary<NodeProto, (NodeProto Cast, float[] Weight)>();
        foreach (var node in graph.Node.Where(n => n.OpType == "ConvInteger" && n.Domain is "" or "ai.onnx" && n.Attribute.Any(a => a.Name == "group" && a.I > 1)))
        {
            var users = consumers[node.Output[0]].ToArray();
            if (users is [{ OpType: "Cast" } cast] && IsCastToFloat(cast) && !graphOutputs.Contains(node.Output[0])
                && ExactWeight(node, initializers) is { } weight)
            {
                rewrites[node] = (cast, weight);
            }
        }

        if (rewrites.Count == 0)
        {
            return model;
        }

        var names = new GraphNames(graph);

        string one = names.Unique("integer_expansion_one");
        var oneTensor = new TensorProto { Name = one, DataType = (int)TensorProto.Types.DataType.Float };
        oneTensor.FloatData.Add(1f);
        graph.Initializer.Add(oneTensor);

        var casts = rewrites.Values.Select(r => r.Cast).ToHashSet();
        var nodes = graph.Node.ToArray();
        graph.Node.Clear();
        foreach (var node in nodes)
        {
            if (casts.Contains(node))
            {
                continue;
            }

            if (!rewrites.TryGetValue(node, out var rewrite))
            {
                graph.Node.Add(node);
                continue;
            }

            var originalWeight = initializers[node.Input[1]];
            string weight = names.Unique($"{node.Input[1]}_float");
            var weightTensor = new TensorProto { Name = weight, DataType = (int)TensorProto.Types.DataType.Float };
            weightTensor.Dims.AddRange(originalWeight.Dims);
            weightTensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(rewrite.Weight.AsSpan()));
            graph.Initializer.Add(weightTensor);

            string x = names.Unique($"{node.Input[0]}_integers");
            var dequantize = node.Input.Count > 2 && node.Input[2].Length > 0
                ? GraphNames.Node("DequantizeLinear", $"{node.Name}_dequantize", [node.Input[0], one, node.Input[2]], x)
                : Cast($"{node.Name}_dequantize", node.Input[0], x);
            graph.Node.Add(dequantize);
            var product = GraphNames.Node("Conv", node.Name, [x, weight], rewrite.Cast.Output[0]);
            product.Attribute.AddRange(node.Attribute);
            graph.Node.Add(product);
        }

        // The integer weights and their zero points, unless something else reads them.
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (var unused in rewrites.Keys.SelectMany(n => n.Input.Skip(1)).Distinct().Where(i => i.Length > 0 && !read.Contains(i)))
        {
            if (initializers.TryGetValue(unused, out var tensor))
            {
                graph.Initializer.Remove(tensor);
            }
        }

        return proto.ToByteArray();
    }

    private static bool IsCastToFloat(NodeProto cast) =>
        cast.Attribute.Any(a => a.Name == "to" && a.I == (int)TensorProto.Types.DataType.Float);

    /// <summary>
    /// The weight less its zero point, as floats, when it and the zero point are 8-bit initializers and no sum can reach
    /// 2^24: an input less its zero point is at most 255 in magnitude, so a sum is at most 255 times the largest sum of
    /// one filter's weight magnitudes. Else null.
    /// </summary>
    private static float[]? ExactWeight(NodeProto node, Dictionary<string, TensorProto> initializers)
    {
        if (!initializers.TryGetValue(node.Input[1], out var weight) || Integers(weight) is not { } values)
        {
            return null;
        }

        if (weight.Dims.Count < 3)
        {
            return null;
        }

        // One sum per filter: the weight is M x C/group x kernel.
        int outputs = (int)weight.Dims[0];
        int[] zeroPoints = new int[outputs];
        if (node.Input.Count > 3 && node.Input[3].Length > 0)
        {
            if (!initializers.TryGetValue(node.Input[3], out var zeroPoint) || Integers(zeroPoint) is not { } points
                || (points.Length != 1 && points.Length != outputs))
            {
                return null;
            }

            for (int o = 0; o < outputs; o++)
            {
                zeroPoints[o] = points[points.Length == 1 ? 0 : o];
            }
        }

        var result = new float[values.Length];
        var magnitude = new double[outputs];
        for (int i = 0; i < values.Length; i++)
        {
            int o = i / (values.Length / outputs);
            int value = values[i] - zeroPoints[o];
            result[i] = value;
            magnitude[o] += Math.Abs(value);
        }

        return magnitude.All(m => 255 * m < ExactLimit) ? result : null;
    }

    /// <summary>The values of an int8 or uint8 tensor; null for any other type.</summary>
    internal static int[]? Integers(TensorProto tensor)
    {
        var type = (TensorProto.Types.DataType)tensor.DataType;
        if (type is not (TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Int8))
        {
            return null;
        }

        if (tensor.RawData.Length > 0)
        {
            var raw = tensor.RawData.Span;
            return type == TensorProto.Types.DataType.Uint8
                ? raw.ToArray().Select(b => (int)b).ToArray()
                : MemoryMarshal.Cast<byte, sbyte>(raw).ToArray().Select(b => (int)b).ToArray();
        }

        return tensor.Int32Data.ToArray();
    }

    private static NodeProto Cast(string name, string input, string output)
    {
        var node = GraphNames.Node("Cast", name, [input], output);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (int)TensorProto.Types.DataType.Float });
        return node;
    }
}
