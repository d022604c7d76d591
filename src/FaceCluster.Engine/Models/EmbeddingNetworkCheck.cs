using FaceCluster.Engine.Alignment;
using Microsoft.ML.OnnxRuntime;

namespace FaceCluster.Engine.Models;

/// <summary>
/// Checks an embedding network against its pack definition before it is installed: ONNX Runtime loads it, it takes
/// one 3-channel square chip of the definition's size and gives vectors of the definition's length (dimensions the
/// network leaves open are not checked).
/// </summary>
internal static class EmbeddingNetworkCheck
{
    /// <exception cref="ModelPackDefinitionException">The network does not fit the definition.</exception>
    public static void Check(ModelPack pack, ModelFile file, string networkPath, string definitionFile)
    {
        int index = pack.Files.ToList().IndexOf(file);
        int[] input, output;
        try
        {
            using var session = new InferenceSession(networkPath);
            if (session.InputMetadata.Count != 1)
            {
                throw new ModelPackDefinitionException(definitionFile, $"files[{index}]",
                    $"names '{file.Name}', whose network takes {session.InputMetadata.Count} inputs (an embedding network takes one chip)");
            }

            input = session.InputMetadata.Values.Single().Dimensions;
            output = session.OutputMetadata.Values.First().Dimensions;
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelPackDefinitionException(definitionFile, $"files[{index}]",
                $"names '{file.Name}', which ONNX Runtime cannot load as a network ({e.Message})", e);
        }

        int chip = pack.ChipTemplate?.ChipSize ?? FaceAligner.Size;
        if (input.Length != 4 || input[1] is not (3 or -1) || input[2] is not -1 && input[2] != chip || input[3] is not -1 && input[3] != chip)
        {
            throw new ModelPackDefinitionException(definitionFile, pack.ChipTemplate is null ? "alignment" : "alignment.chipSize",
                $"gives {chip}x{chip} chips, but the network '{file.Name}' takes input of shape [{string.Join(", ", input)}]");
        }

        if (output.Length == 0 || output[^1] is not -1 && output[^1] != pack.EmbeddingSize)
        {
            throw new ModelPackDefinitionException(definitionFile, "embeddingSize",
                $"is {pack.EmbeddingSize}, but the network '{file.Name}' gives output of shape [{string.Join(", ", output)}]");
        }
    }
}
