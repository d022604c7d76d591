namespace FaceCluster.Engine.Evaluation;

/// <summary>
/// One face of a clustering to score: its photo, its index in the photo, its cluster (-1 = doubtful) and the area
/// of its box in pixels, which decides the face of a photo that is credited to the photo's person (0 when not
/// known: then the lowest face index is).
/// </summary>
public readonly record struct ScoredFace(string Path, int FaceIndex, int ClusterId, double BoxArea = 0);
