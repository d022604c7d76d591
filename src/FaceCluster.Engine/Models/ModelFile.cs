namespace FaceCluster.Engine.Models;

/// <summary>One file of a model pack: its role, its full path and the SHA-256 it must have (lower-case hex).</summary>
public sealed record ModelFile(ModelFileRole Role, string Name, string FullPath, string Sha256);
