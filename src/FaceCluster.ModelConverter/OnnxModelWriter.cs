using System.Security.Cryptography;
using Google.Protobuf;
using Onnx;

namespace FaceCluster.ModelConverter;

/// <summary>Wraps a graph in an ONNX model (IR 7, opset 13) and writes it; the bytes depend only on the graph.</summary>
internal static class OnnxModelWriter
{
    public const long IrVersion = 7;
    public const long OperatorSetVersion = 13;

    /// <summary>Changes only when the converter's output changes, so the recorded SHA-256 stays valid across releases.</summary>
    public const string ProducerVersion = "1";

    public static ModelProto CreateModel(GraphProto graph, string documentation, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "FaceCluster.ModelConverter",
            ProducerVersion = ProducerVersion,
            DocString = documentation,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OperatorSetVersion });
        foreach ((string key, string value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    /// <summary>Writes the model through a temporary file and returns its SHA-256 in lower-case hex.</summary>
    public static string Write(ModelProto model, string path)
    {
        byte[] bytes = model.ToByteArray();
        string fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        string temporary = fullPath + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, fullPath, overwrite: true);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
