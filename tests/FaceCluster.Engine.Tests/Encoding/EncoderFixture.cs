using System.Collections.Concurrent;
using FaceCluster.Engine.Encoding;
using FaceCluster.Model;
using FaceCluster.Engine.Models;

namespace FaceCluster.Engine.Tests.Encoding;

/// <summary>One FaceEncoder on the built default pack, shared by a test class, with the sample photos' encodings cached.</summary>
public sealed class EncoderFixture : IDisposable
{
    private readonly ConcurrentDictionary<int, IReadOnlyList<FaceEncoding>> _samples = new();

    public EncoderFixture()
    {
        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);
        Encoder = FaceEncoder.Create(catalog.Get(catalog.DefaultPackName), new FaceEncoderOptions());
    }

    public FaceEncoder Encoder { get; }

    public IReadOnlyList<FaceEncoding> Sample(int n) => _samples.GetOrAdd(n, i => Encoder.Encode(TestAssets.Sample(i), CancellationToken.None));

    public void Dispose() => Encoder.Dispose();
}
