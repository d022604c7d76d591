using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace FaceCluster.Engine.Encoding;

/// <summary>
/// Rewrites each channel-wise PRelu of a 4-D (N x C x H x W) input as r + slope * (x + (-1) * r), r = Relu(x), with the
/// two products as 1x1 depthwise convolutions. Every step is exact (the negation and a sum with zero are; one product,
/// one rounding), so the output has the same bits; but ONNX Runtime runs it in its blocked (NCHWc) layout, where its
/// PRelu kernel has none and was slow besides: the 512-d embedding network takes about a third of the time.
/// </summary>
internal static class PReluExpansion
{
    /// <summary>The model with its PRelu nodes rewritten; <paramref name="model"/> itself when none qualifies.</summary>
    public static byte[] Apply(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var slopes = new Dictionary<NodeProto, float[]>();
        var rank = Ranks(graph, initializers, producers);
        foreach (var node in graph.Node.Where(n => n.OpType == "PRelu" && n.Domain is "" or "ai.onnx"))
        {
            if (ChannelSlopes(node, initializers, rank) is { } slope)
            {
                slopes[node] = slope;
            }
        }

        if (slopes.Count == 0)
        {
            return model;
        }

        var names = new GraphNames(graph);

        var nodes = graph.Node.ToArray();
        graph.Node.Clear();
        foreach (var node in nodes)
        {
            if (!slopes.TryGetValue(node, out var slope))
            {
                graph.Node.Add(node);
                continue;
            }

            string x = node.Input[0], y = node.Output[0], name = node.Name;
            string minusOne = names.Unique($"{name}_minus_one"), channelSlope = names.Unique($"{name}_slope");
            graph.Initializer.Add(DepthwiseWeight(minusOne, Enumerable.Repeat(-1f, slope.Length).ToArray()));
            graph.Initializer.Add(DepthwiseWeight(channelSlope, slope));
            string positive = names.Unique($"{y}_positive"), minusPositive = names.Unique($"{y}_minus_positive");
            string negative = names.Unique($"{y}_negative"), scaled = names.Unique($"{y}_scaled");
            graph.Node.Add(GraphNames.Node("Relu", $"{name}_relu", [x], positive));
            graph.Node.Add(Depthwise($"{name}_negate", positive, minusOne, minusPositive, slope.Length));
            graph.Node.Add(GraphNames.Node("Add", $"{name}_negative", [x, minusPositive], negative));
            graph.Node.Add(Depthwise($"{name}_scale", negative, channelSlope, scaled, slope.Length));
            graph.Node.Add(GraphNames.Node("Add", $"{name}_sum", [positive, scaled], y));
        }

        // The old slopes, unless something else reads them (ONNX Runtime warns of unused initializers).
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (var unused in slopes.Keys.Select(n => n.Input[1]).Distinct().Where(s => !read.Contains(s)))
        {
            graph.Initializer.Remove(initializers[unused]);
        }

        return proto.ToByteArray();
    }

    /// <summary>
    /// The slope per channel when it is a float initializer of shape [C, 1, 1], C &gt; 1, and the input is known to have
    /// rank 4 (so it is N x C x H x W: a slope of C values broadcasts to no other axis); else null.
    /// </summary>
    private static float[]? ChannelSlopes(NodeProto prelu, Dictionary<string, TensorProto> initializers, Func<string, int?> rank)
    {
        if (!initializers.TryGetValue(prelu.Input[1], out var slope)
            || slope.DataType != (int)TensorProto.Types.DataType.Float
            || slope.Dims.Count != 3 || slope.Dims[0] < 2 || slope.Dims[1] != 1 || slope.Dims[2] != 1
            || rank(prelu.Input[0]) != 4)
        {
            return null;
        }

        float[] values = slope.FloatData.Count > 0 ? slope.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(slope.RawData.Span).ToArray();
        return values.Length == slope.Dims[0] ? values : null;
    }

    /// <summary>
    /// The rank of each value where the operators that make it tell (convolutions, element-wise operators, reshapes to a
    /// constant shape, dynamic quantisation), from the initializers and graph inputs; null where unknown.
    /// </summary>
    private static Func<string, int?> Ranks(GraphProto graph, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers)
    {
        var known = new Dictionary<string, int?>();
        foreach (var input in graph.Input.Where(i => i.Type?.TensorType?.Shape is not null))
        {
            known[input.Name] = input.Type.TensorType.Shape.Dim.Count;
        }

        int? Rank(string name)
        {
            if (known.TryGetValue(name, out var rank))
            {
                return rank;
            }

            known[name] = null; // a cycle, in a broken graph, ends here
            rank = initializers.TryGetValue(name, out var tensor) ? tensor.Dims.Count
                : !producers.TryGetValue(name, out var node) ? null
                : node.OpType switch
                {
                    "Conv" or "ConvInteger" => Rank(node.Input[1]),
                    "DynamicQuantizeLinear" => name == node.Output[0] ? Rank(node.Input[0]) : 0, // then its scale, zero point
                    "Relu" or "PRelu" or "Cast" or "BatchNormalization" or "Sigmoid" or "Clip" => Rank(node.Input[0]),
                    "Add" or "Sub" or "Mul" or "Div" => Rank(node.Input[0]) is int a && Rank(node.Input[1]) is int b ? Math.Max(a, b) : null,
                    "Reshape" when initializers.TryGetValue(node.Input[1], out var shape) => (int)shape.Dims.Single(),
                    _ => null,
                };
            known[name] = rank;
            return rank;
        }

        return Rank;
    }

    private static TensorProto DepthwiseWeight(string name, float[] perChannel)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange([perChannel.Length, 1, 1, 1]);
        tensor.FloatData.AddRange(perChannel);
        return tensor;
    }

    private static NodeProto Depthwise(string name, string input, string weight, string output, int channels)
    {
        var node = GraphNames.Node("Conv", name, [input, weight], output);
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = channels });
        return node;
    }
}
