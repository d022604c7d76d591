using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Models;

namespace FaceCluster.Engine.Tests.Encoding;

public class FaceEncoderDisposalTests
{
    [Fact]
    public async Task Dispose_during_an_encode_frees_the_networks_only_after_it()
    {
        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);
        // Jitter 100 makes the five faces of sample 5 take seconds, so Dispose lands in the middle of the work.
        var encoder = FaceEncoder.Create(catalog.Get(catalog.DefaultPackName), new FaceEncoderOptions { Jitter = 100 });
        var started = new TaskCompletionSource();
        var encoding = Task.Run(() =>
        {
            started.SetResult();
            return encoder.Encode(TestAssets.Sample(5));
        });
        await started.Task;
        await Task.Delay(1000);
        Assert.False(encoding.IsCompleted, $"the encode should still be running when Dispose is called (it ended {encoding.Status}: {encoding.Exception?.GetBaseException().Message})");

        encoder.Dispose();

        Assert.Equal(5, (await encoding).Count);
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(TestAssets.Sample(1)));
    }
}
