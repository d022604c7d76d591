namespace FaceCluster.Engine.People;

/// <summary>corrections.json: the face <see cref="FaceIndex"/> of the photo <see cref="Path"/> is not person <see cref="Id"/>.</summary>
public sealed record FaceRemovalCorrection(int Id, string Path, int FaceIndex)
{
    public FaceKey Face => new(Path, FaceIndex);
}
