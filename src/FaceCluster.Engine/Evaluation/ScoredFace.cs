namespace FaceCluster.Engine.Evaluation;

/// <summary>One face of a clustering to score: its photo, its index in the photo, and its cluster (-1 = doubtful).</summary>
public readonly record struct ScoredFace(string Path, int FaceIndex, int ClusterId);
