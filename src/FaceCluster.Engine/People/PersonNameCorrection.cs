namespace FaceCluster.Engine.People;

/// <summary>corrections.json: person <see cref="Id"/> is called <see cref="Name"/>.</summary>
public sealed record PersonNameCorrection(int Id, string Name);
