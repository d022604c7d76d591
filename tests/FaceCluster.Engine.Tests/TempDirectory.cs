namespace FaceCluster.Engine.Tests;

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        FullPath = Directory.CreateTempSubdirectory("facecluster-tests-").FullName;
    }

    public string FullPath { get; }

    public string File(string name) => System.IO.Path.Combine(FullPath, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
