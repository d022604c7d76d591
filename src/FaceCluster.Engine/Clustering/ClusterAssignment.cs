using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>What a clusterer (<see cref="DbscanClusterer"/>, <see cref="AverageLinkageClusterer"/>) found, one entry per input vector.</summary>
public sealed class ClusterAssignment
{
    /// <summary>Cluster of each point: -1 for noise, else 0..ClusterCount-1, numbered in order of each cluster's lowest-index point.</summary>
    public required int[] Labels { get; init; }

    /// <summary>Core, border or noise, per point.</summary>
    public required FaceRole[] Roles { get; init; }

    /// <summary>Number of clusters (noise excluded).</summary>
    public required int ClusterCount { get; init; }

    internal static ClusterAssignment Empty { get; } = new() { Labels = [], Roles = [], ClusterCount = 0 };
}
