using System.Runtime.InteropServices;

namespace FaceCluster.Engine.Tests;

[Collection(nameof(MemoryMeasurementCollection))]
public class WorkingSetGrowthTests
{
    [Fact]
    public void Sees_native_memory_taken_and_given_back_while_it_samples()
    {
        // Native, as a decoder's pixels would be: a block this large is always fresh pages from the system, where the
        // managed heap could reuse pages it already holds.
        const int Size = 512 << 20;
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)1);
        using var growth = new WorkingSetGrowth();
        nint block = Marshal.AllocHGlobal(Size);
        try
        {
            for (int offset = 0; offset < Size; offset += chunk.Length)
            {
                Marshal.Copy(chunk, 0, block + offset, chunk.Length);
            }

            Thread.Sleep(20);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }

        Assert.InRange(growth.Stop(), 400L << 20, 2L << 30);
    }
}
