namespace FaceCluster.Engine.Tests.Export;

/// <summary>Base of test classes that each test gives a fresh <see cref="TempDirectory"/>.</summary>
public abstract class TempDirectoryTest : IDisposable
{
    protected TempDirectory Temp { get; } = new();

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
