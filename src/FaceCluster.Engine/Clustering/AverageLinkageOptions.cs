using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>Parameters of <see cref="AverageLinkageClusterer"/>.</summary>
public sealed class AverageLinkageOptions
{
    /// <summary>The default <see cref="PairBudget"/>: 8M pairs, about 100 MB while a pass collects them.</summary>
    public const int DefaultPairBudget = 1 << 23;

    /// <summary>Two groups merge while the average distance between their members is at most this.</summary>
    public double Threshold { get; init; }

    /// <summary>
    /// When larger than <see cref="Threshold"/>: once no two groups are within <see cref="Threshold"/>, groups of two or
    /// more points go on merging up to this average distance, and then each point still alone joins the nearest group
    /// within it. Two points that are both alone never merge beyond <see cref="Threshold"/>. Null: no such phase.
    /// </summary>
    public double? GroupThreshold { get; init; }

    /// <summary>How distances are measured.</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Cosine;

    /// <summary>Threads used for the neighbour search.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The most candidate pairs of groups held in memory at once (12 bytes each while collected, 8 once linked).
    /// When more pairs are within the threshold, the clustering takes more passes over the data instead of more
    /// memory; the result is the same.
    /// </summary>
    public int PairBudget { get; init; } = DefaultPairBudget;

    /// <summary>The approximate neighbours to take pairs from (<see cref="NeighbourGraph"/>); null: scan every pair.</summary>
    internal NeighbourGraph? Neighbours { get; init; }
}
