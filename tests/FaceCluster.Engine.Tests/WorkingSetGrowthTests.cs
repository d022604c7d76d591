namespace FaceCluster.Engine.Tests;

[Collection(nameof(MemoryMeasurementCollection))]
public class WorkingSetGrowthTests
{
    [Fact]
    public void Sees_memory_taken_and_given_back_while_it_samples()
    {
        using var growth = new WorkingSetGrowth();
        var block = GC.AllocateUninitializedArray<byte>(512 << 20);
        Array.Fill(block, (byte)1);
        Thread.Sleep(20);
        GC.KeepAlive(block);
        block = null;
        GC.Collect();

        Assert.InRange(growth.Stop(), 400L << 20, 2L << 30);
    }
}
