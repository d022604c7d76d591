namespace FaceCluster.Engine.Review;

/// <summary>A face an edit is about: face <see cref="FaceIndex"/> of the source photo <see cref="Photo"/> (its full path, as faces.json has it).</summary>
public sealed record ReviewEditFace(string Photo, int FaceIndex);
