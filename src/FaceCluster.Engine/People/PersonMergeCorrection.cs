namespace FaceCluster.Engine.People;

/// <summary>corrections.json: person <see cref="Id"/> is the same person as <see cref="Into"/>, whose id they keep.</summary>
public sealed record PersonMergeCorrection(int Id, int Into);
