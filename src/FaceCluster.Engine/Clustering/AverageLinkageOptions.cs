using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>Parameters of <see cref="AverageLinkageClusterer"/>.</summary>
public sealed class AverageLinkageOptions
{
    /// <summary>Two groups merge while the average distance between their members is at most this.</summary>
    public double Threshold { get; init; }

    /// <summary>
    /// Distances above this are clipped to it (and never stored): the graph of pairs within the cut-off is what
    /// is kept in memory. Must be larger than <see cref="Threshold"/>; the larger, the closer to plain average
    /// linkage, and the more pairs are stored.
    /// </summary>
    public double Cutoff { get; init; }

    /// <summary>How distances are measured.</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Cosine;

    /// <summary>Threads used for the neighbour search.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
