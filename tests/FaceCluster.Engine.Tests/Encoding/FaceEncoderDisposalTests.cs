using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Models;

namespace FaceCluster.Engine.Tests.Encoding;

public class FaceEncoderDisposalTests
{
    [Fact]
    public async Task Dispose_during_an_encode_frees_the_networks_only_after_it()
    {
        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);
        // Jitter 100 makes the five faces of sample 5 take a second or more, so Dispose lands in the middle of the work.
        var encoder = FaceEncoder.Create(catalog.Get(catalog.DefaultPackName), new FaceEncoderOptions { Jitter = 100 });
        var encoding = Task.Run(() => encoder.Encode(TestAssets.Sample(5)));

        // Waits for the encode to hold the sessions rather than for a fixed time, which a fast or a loaded machine misses.
        Assert.True(SpinWait.SpinUntil(() => encoder.SessionUsers == 2 || encoding.IsCompleted, TimeSpan.FromMinutes(1)), "the encode never started");
        encoder.Dispose();
        int usersAfterDispose = encoder.SessionUsers;
        bool encodeWasRunning = !encoding.IsCompleted;

        Assert.True(encodeWasRunning, $"the encode should still be running when Dispose is called (it ended {encoding.Status}: {encoding.Exception?.GetBaseException().Message})");
        Assert.Equal(1, usersAfterDispose);
        Assert.Equal(5, (await encoding).Count);
        Assert.Equal(0, encoder.SessionUsers);
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(TestAssets.Sample(1)));
    }
}
