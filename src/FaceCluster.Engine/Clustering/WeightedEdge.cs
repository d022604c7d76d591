namespace FaceCluster.Engine.Clustering;

/// <summary>A pair of points (I &lt; J) and their distance.</summary>
internal readonly record struct WeightedEdge(int I, int J, double Distance);
