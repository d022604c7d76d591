namespace FaceCluster.Engine.People;

/// <summary>A correction names a person or face that the export does not hold.</summary>
public sealed class PersonNotFoundException : Exception
{
    public PersonNotFoundException(string message) : base(message)
    {
    }
}
