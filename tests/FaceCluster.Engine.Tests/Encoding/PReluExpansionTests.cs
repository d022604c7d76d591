using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Models;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace FaceCluster.Engine.Tests.Encoding;

/// <summary>The PRelu rewrite that OnnxModel applies: gone from the graph, and the same bits out of the network.</summary>
public sealed class PReluExpansionTests
{
    private static string FacepluginFile(ModelFileRole role) =>
        ModelPackCatalog.Load(TestAssets.ModelsDirectory).Get("faceplugin").GetFile(role).FullPath;

    [Fact]
    public void EmbeddingNetworkLosesEveryPRelu()
    {
        var original = File.ReadAllBytes(FacepluginFile(ModelFileRole.Embedding));
        Assert.Equal(33, ModelProto.Parser.ParseFrom(original).Graph.Node.Count(n => n.OpType == "PRelu"));

        var expanded = ModelProto.Parser.ParseFrom(PReluExpansion.Apply(original)).Graph;

        Assert.DoesNotContain(expanded.Node, n => n.OpType == "PRelu");
        Assert.Equal(33, expanded.Node.Count(n => n.OpType == "Relu"));
        // No initializer left unread (ONNX Runtime would warn on the console of every session).
        var read = expanded.Node.SelectMany(n => n.Input).ToHashSet();
        Assert.All(expanded.Initializer, i => Assert.Contains(i.Name, read));
    }

    [Fact]
    public void ModelWithoutPReluIsLeftAsItIs()
    {
        var landmarks = File.ReadAllBytes(FacepluginFile(ModelFileRole.Landmarks));

        Assert.Same(landmarks, PReluExpansion.Apply(landmarks));
    }

    [Fact]
    public void ExpandedEmbeddingNetworkGivesTheSameBits()
    {
        string path = FacepluginFile(ModelFileRole.Embedding);
        using var expanded = new OnnxModel(path, 1);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        using var original = new InferenceSession(path, options);
        long[] shape = [1, 3, 112, 112];
        var random = new Random(7);

        for (int chip = 0; chip < 4; chip++)
        {
            // Normalised chip values lie in [-1, 1]; a few exact zeros as well.
            var input = Enumerable.Range(0, 3 * 112 * 112).Select(i => i % 97 == 0 ? 0f : (float)(random.NextDouble() * 2 - 1)).ToArray();
            using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var run = new RunOptions();
            using var outputs = original.Run(run, [original.InputMetadata.Keys.Single()], [value], original.OutputMetadata.Keys.ToArray());
            float[] want = outputs[0].GetTensorDataAsSpan<float>().ToArray();

            float[] got = expanded.Run(input, shape)[0];

            Assert.Equal(512, want.Length);
            Assert.Equal(want, got);
        }
    }
}
