namespace FaceCluster.Engine.People;

/// <summary>A correction to take back is not (or no longer) in the export's corrections.json.</summary>
public sealed class CorrectionNotFoundException : Exception
{
    public CorrectionNotFoundException(string message) : base(message)
    {
    }
}
