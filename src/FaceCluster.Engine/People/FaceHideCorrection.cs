namespace FaceCluster.Engine.People;

/// <summary>
/// corrections.json: the face <see cref="FaceCorrection.FaceIndex"/> of the photo <see cref="FaceCorrection.Path"/> is
/// not a face, or is to be ignored: it never joins a person again and stays among the doubtful faces, where it can be
/// seen (and the correction undone).
/// </summary>
public sealed record FaceHideCorrection(string Path, int FaceIndex) : FaceCorrection(Path, FaceIndex);
