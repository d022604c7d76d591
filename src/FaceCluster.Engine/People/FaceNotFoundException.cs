namespace FaceCluster.Engine.People;

/// <summary>A correction names a photo or face that the export does not hold.</summary>
public sealed class FaceNotFoundException : Exception
{
    public FaceNotFoundException(string message) : base(message)
    {
    }
}
