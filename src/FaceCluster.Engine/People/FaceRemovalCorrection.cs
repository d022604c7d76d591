namespace FaceCluster.Engine.People;

/// <summary>corrections.json: the face <see cref="FaceCorrection.FaceIndex"/> of the photo <see cref="FaceCorrection.Path"/> is not person <see cref="Id"/>.</summary>
public sealed record FaceRemovalCorrection(int Id, string Path, int FaceIndex) : FaceCorrection(Path, FaceIndex)
{
    /// <summary>Whether <paramref name="other"/> is about the same face (<see cref="FaceCorrection.SameFaceAs"/>) of the same person (retired or not).</summary>
    public bool SameFace(FaceRemovalCorrection other) => other.Id == Id && SameFaceAs(other);
}
