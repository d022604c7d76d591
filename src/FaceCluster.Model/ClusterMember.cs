namespace FaceCluster.Model;

/// <summary>A face as a member of a cluster, with the role it played.</summary>
public sealed record ClusterMember(FaceEncoding Face, FaceRole Role)
{
    /// <summary>
    /// Doubtful faces only: the <see cref="FaceGroup.Id"/> of the nearest cluster (average linkage: by the
    /// average-linkage distance between the face and the cluster; DBSCAN: by the distance to its nearest core
    /// member), as a hint for a person reviewing. Null for clustered faces, and when there is no cluster.
    /// </summary>
    public int? NearestClusterId { get; init; }

    /// <summary>Doubtful faces only: the distance to <see cref="NearestClusterId"/>, in the clustering's metric.</summary>
    public double? NearestClusterDistance { get; init; }

    /// <summary>
    /// Doubtful faces only: why the face-quality gate kept this detection out of every person (probably not a face);
    /// null for a face the gate let through.
    /// </summary>
    public FaceGateReason? Gate { get; init; }
}
