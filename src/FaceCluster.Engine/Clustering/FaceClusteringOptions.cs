using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>How <see cref="FaceClusterer"/> groups faces.</summary>
public sealed class FaceClusteringOptions
{
    /// <summary>The clustering method.</summary>
    public ClusteringAlgorithm Algorithm { get; init; } = ClusteringAlgorithm.Dbscan;

    /// <summary>
    /// DBSCAN: the neighbourhood radius. Average linkage: the largest average distance at which two groups merge; with
    /// <see cref="LibraryThreshold"/>, the largest at which two faces seen once each pair up.
    /// </summary>
    public double Epsilon { get; init; }

    /// <summary>Whether <see cref="Epsilon"/> was the user's or the model pack's default: recorded in
    /// <see cref="ClusteringSettings.EpsilonSource"/>.</summary>
    public SettingSource EpsilonSource { get; init; } = SettingSource.Parameter;

    /// <summary>
    /// Average linkage only: when set, groups of two or more merge up to a group threshold that this rule chooses from
    /// the library's own distances (<see cref="Clustering.LibraryThreshold"/>, <see cref="AverageLinkageOptions.GroupThreshold"/>).
    /// Null: one fixed threshold, <see cref="Epsilon"/>.
    /// </summary>
    public LibraryThresholdRule? LibraryThreshold { get; init; }

    /// <summary>DBSCAN only: a face is core when at least this many faces, itself included, lie within <see cref="Epsilon"/>.</summary>
    public int MinSamples { get; init; } = 2;

    /// <summary>How distances are measured.</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Cosine;

    /// <summary>
    /// Faces of the same photo are different people: never put two of them in one cluster. Average linkage
    /// refuses such merges; DBSCAN keeps, of each photo's faces in a cluster, the one nearest the cluster's medoid
    /// and leaves the others doubtful.
    /// </summary>
    public bool SeparateSamePhoto { get; init; } = true;

    /// <summary>
    /// The people of earlier runs (<c>Invoke-FaceCluster -Previous</c>): their ids and names carry over, and their
    /// corrections constrain the clustering (average linkage only). Null: a first run, people numbered from 0.
    /// </summary>
    public People.PersonHistory? Previous { get; init; }

    /// <summary>
    /// With <see cref="Previous"/>: cluster every face again even where <see cref="IncrementalRule"/> would only place
    /// the new ones.
    /// </summary>
    public bool Recluster { get; init; }

    /// <summary>
    /// Keeps detections that are probably not faces out of every person (they are doubtful, with the reason); null
    /// clusters every detection.
    /// </summary>
    public FaceQualityGate? QualityGate { get; init; } = FaceQualityGate.Default;

    /// <summary>How pairs of near faces are found (<see cref="NeighbourSearchChoice"/>): exact while that is fast, by default.</summary>
    public NeighbourSearch NeighbourSearch { get; init; } = NeighbourSearch.Auto;

    /// <summary>Threads used for the neighbour search.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
