using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace FaceCluster.Engine.Encoding;

/// <summary>
/// Rewrites each channel-wise PRelu that follows a 2-D convolution as r + slope * (x + (-1) * r), r = Relu(x), with the
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
        foreach (var node in graph.Node.Where(n => n.OpType == "PRelu" && n.Domain is "" or "ai.onnx"))
        {
            if (ChannelSlopes(node, initializers, producers) is { } slope)
            {
                slopes[node] = slope;
            }
        }

        if (slopes.Count == 0)
        {
            return model;
        }

        var names = new HashSet<string>(graph.Node.SelectMany(n => n.Input.Concat(n.Output)).Concat(initializers.Keys));
        string Unique(string name)
        {
            string unique = name;
            for (int i = 1; !names.Add(unique); i++)
            {
                unique = $"{name}_{i}";
            }

            return unique;
        }

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
            string minusOne = Unique($"{name}_minus_one"), channelSlope = Unique($"{name}_slope");
            graph.Initializer.Add(DepthwiseWeight(minusOne, Enumerable.Repeat(-1f, slope.Length).ToArray()));
            graph.Initializer.Add(DepthwiseWeight(channelSlope, slope));
            string positive = Unique($"{y}_positive"), minusPositive = Unique($"{y}_minus_positive");
            string negative = Unique($"{y}_negative"), scaled = Unique($"{y}_scaled");
            graph.Node.Add(Node("Relu", $"{name}_relu", [x], positive));
            graph.Node.Add(Depthwise($"{name}_negate", positive, minusOne, minusPositive, slope.Length));
            graph.Node.Add(Node("Add", $"{name}_negative", [x, minusPositive], negative));
            graph.Node.Add(Depthwise($"{name}_scale", negative, channelSlope, scaled, slope.Length));
            graph.Node.Add(Node("Add", $"{name}_sum", [positive, scaled], y));
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
    /// The slope per channel when it is a float initializer of shape [C, 1, 1] and the input comes from a convolution
    /// with a 4-D weight of C filters (so the input is N x C x H x W); else null.
    /// </summary>
    private static float[]? ChannelSlopes(NodeProto prelu, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers)
    {
        if (!initializers.TryGetValue(prelu.Input[1], out var slope)
            || slope.DataType != (int)TensorProto.Types.DataType.Float
            || slope.Dims.Count != 3 || slope.Dims[1] != 1 || slope.Dims[2] != 1
            || !producers.TryGetValue(prelu.Input[0], out var conv) || conv.OpType != "Conv"
            || !initializers.TryGetValue(conv.Input[1], out var weight)
            || weight.Dims.Count != 4 || weight.Dims[0] != slope.Dims[0])
        {
            return null;
        }

        float[] values = slope.FloatData.Count > 0 ? slope.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(slope.RawData.Span).ToArray();
        return values.Length == slope.Dims[0] ? values : null;
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
        var node = Node("Conv", name, [input, weight], output);
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = channels });
        return node;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
