namespace FaceCluster.Engine.Clustering;

/// <summary>The cluster a doubtful face is nearest to (<see cref="FaceCluster.Model.FaceGroup.Id"/>) and its distance from it.</summary>
public readonly record struct NearestCluster(int ClusterId, double Distance);
