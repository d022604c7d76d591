using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>Parameters of <see cref="DbscanClusterer"/>, with scikit-learn's meaning.</summary>
public sealed class DbscanOptions
{
    /// <summary>Neighbourhood radius: two points are neighbours when their distance is &lt;= Epsilon.</summary>
    public double Epsilon { get; init; }

    /// <summary>A point is core when at least this many points, itself included, lie within <see cref="Epsilon"/>.</summary>
    public int MinSamples { get; init; }

    /// <summary>How distances are measured.</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Cosine;

    /// <summary>Threads used for the neighbour search.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The approximate neighbours to take pairs from (<see cref="NeighbourGraph"/>); null: scan every pair.</summary>
    internal NeighbourGraph? Neighbours { get; init; }
}
