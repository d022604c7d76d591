namespace FaceCluster.Engine.Store;

/// <summary>A path the store has seen, with the file's stamp and content key when it was last seen there.</summary>
public sealed record KnownFile(string Path, byte[] Stamp, byte[] ContentKey);
