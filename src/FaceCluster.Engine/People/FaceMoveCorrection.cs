namespace FaceCluster.Engine.People;

/// <summary>
/// corrections.json: the face <see cref="FaceCorrection.FaceIndex"/> of the photo <see cref="FaceCorrection.Path"/>,
/// in person <see cref="Id"/> when it was moved (-1: doubtful), is person <see cref="Into"/> (an existing person, or
/// a new one the move made).
/// </summary>
public sealed record FaceMoveCorrection(int Id, string Path, int FaceIndex, int Into) : FaceCorrection(Path, FaceIndex);
