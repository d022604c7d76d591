using System.Buffers.Binary;
using System.Text.Json;

namespace FaceCluster.ModelConverter;

/// <summary>
/// Reads a TensorFlow.js weights manifest (<c>*-weights_manifest.json</c>) and the binary shards it names,
/// dequantising as tfjs-core's <c>decodeWeights</c> does: <c>value = q * scale + min</c>, computed in double and
/// stored as float32 (int32 weights, such as the shape constants of face-api's SSD MobileNet v1, are rounded half up, like
/// JavaScript's Math.round in tfjs-core, and also stored as float32).
/// </summary>
internal static class TfjsWeightManifestReader
{
    public static IReadOnlyDictionary<string, TfjsTensor> Read(string manifestPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        var tensors = new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
        foreach (JsonElement group in manifest.RootElement.EnumerateArray())
        {
            byte[] groupBytes = group.GetProperty("paths").EnumerateArray()
                .SelectMany(shard => File.ReadAllBytes(Path.Combine(folder, shard.GetString()!)))
                .ToArray();
            int offset = 0;
            foreach (JsonElement weight in group.GetProperty("weights").EnumerateArray())
            {
                TfjsTensor tensor = ReadWeight(weight, groupBytes, ref offset);
                tensors.Add(tensor.Name, tensor);
            }

            if (offset != groupBytes.Length)
            {
                throw new InvalidDataException($"{manifestPath}: the weights use {offset} bytes but the shards hold {groupBytes.Length}.");
            }
        }

        return tensors;
    }

    private static TfjsTensor ReadWeight(JsonElement weight, byte[] bytes, ref int offset)
    {
        string name = weight.GetProperty("name").GetString()!;
        int[] shape = weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        string dtype = weight.GetProperty("dtype").GetString()!;
        if (dtype is not ("float32" or "int32"))
        {
            throw new InvalidDataException($"Weight '{name}' has dtype '{dtype}'; only float32 and int32 weights are supported.");
        }

        bool isInteger = dtype == "int32";

        var values = new float[shape.Aggregate(1, (product, dimension) => product * dimension)];
        if (weight.TryGetProperty("quantization", out JsonElement quantization))
        {
            string quantizedType = quantization.GetProperty("dtype").GetString()!;
            double scale = quantization.GetProperty("scale").GetDouble();
            double min = quantization.GetProperty("min").GetDouble();
            int width = quantizedType switch
            {
                "uint8" => 1,
                "uint16" => 2,
                _ => throw new InvalidDataException($"Weight '{name}' has unsupported quantisation '{quantizedType}'."),
            };
            EnsureAvailable(name, bytes, offset, values.Length * width);
            for (int i = 0; i < values.Length; i++)
            {
                int quantized = width == 1
                    ? bytes[offset + i]
                    : BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + (2 * i), 2));
                double value = (quantized * scale) + min;
                values[i] = (float)(isInteger ? Math.Floor(value + 0.5) : value);
            }

            offset += values.Length * width;
        }
        else
        {
            EnsureAvailable(name, bytes, offset, values.Length * sizeof(float));
            for (int i = 0; i < values.Length; i++)
            {
                Span<byte> raw = bytes.AsSpan(offset + (4 * i), 4);
                values[i] = isInteger ? BinaryPrimitives.ReadInt32LittleEndian(raw) : BinaryPrimitives.ReadSingleLittleEndian(raw);
            }

            offset += values.Length * sizeof(float);
        }

        return new TfjsTensor(name, shape, values);
    }

    private static void EnsureAvailable(string name, byte[] bytes, int offset, int length)
    {
        if (offset + length > bytes.Length)
        {
            throw new InvalidDataException($"Weight '{name}' runs past the end of the weight shards.");
        }
    }
}
