namespace FaceCluster.Model;

/// <summary>A face as a member of a cluster, with the role it played.</summary>
public sealed record ClusterMember(FaceEncoding Face, FaceRole Role);
