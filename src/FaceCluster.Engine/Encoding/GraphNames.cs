using Onnx;

namespace FaceCluster.Engine.Encoding;

/// <summary>The value and initializer names of a graph, for rewrites that add new ones, and the nodes they add.</summary>
internal sealed class GraphNames
{
    private readonly HashSet<string> _names;

    public GraphNames(GraphProto graph)
    {
        _names = [.. graph.Node.SelectMany(n => n.Input.Concat(n.Output)), .. graph.Initializer.Select(i => i.Name)];
    }

    /// <summary><paramref name="name"/>, or with a number appended if the graph has it already; taken from now on.</summary>
    public string Unique(string name)
    {
        string unique = name;
        for (int i = 1; !_names.Add(unique); i++)
        {
            unique = $"{name}_{i}";
        }

        return unique;
    }

    public static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
