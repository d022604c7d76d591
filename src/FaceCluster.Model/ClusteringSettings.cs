namespace FaceCluster.Model;

/// <summary>
/// The settings a clustering actually used, defaults and library-chosen thresholds resolved. Invoke-FaceCluster
/// attaches it to every group it writes (<see cref="FaceGroup.Clustering"/>); Export-FaceCluster records it in
/// faces.json and shows it on the review page.
/// </summary>
public sealed record ClusteringSettings
{
    /// <summary>The model pack that encoded the faces.</summary>
    public required string Model { get; init; }

    public required ClusteringAlgorithm Algorithm { get; init; }

    public required DistanceMetric Metric { get; init; }

    /// <summary>
    /// DBSCAN: the neighbourhood radius. Average linkage: the one threshold, or, with a <see cref="GroupThreshold"/>,
    /// the pair threshold within which two faces seen once each pair up.
    /// </summary>
    public required double Epsilon { get; init; }

    /// <summary>Whether <see cref="Epsilon"/> was set with -Epsilon or is the model pack's default.</summary>
    public required SettingSource EpsilonSource { get; init; }

    /// <summary>Average linkage: the group threshold the model pack's library rule chose from the faces' own distances;
    /// null when there was none (DBSCAN, or -Epsilon or -Metric fixed one threshold).</summary>
    public double? GroupThreshold { get; init; }

    /// <summary>DBSCAN only: a face is core when at least this many faces, itself included, lie within
    /// <see cref="Epsilon"/>; null for average linkage.</summary>
    public int? MinSamples { get; init; }

    /// <summary>True unless -AllowSamePhoto: no person holds two faces of one photo.</summary>
    public required bool SeparateSamePhoto { get; init; }

    /// <summary>Whether every face was clustered (<see cref="ClusteringRun.Full"/>) or only the faces new since the
    /// earlier export were placed (<see cref="ClusteringRun.Incremental"/>).</summary>
    public ClusteringRun Run { get; init; } = ClusteringRun.Full;

    /// <summary>Why this <see cref="Run"/> was chosen (for example "-Recluster", "first run", "12% of the faces are new
    /// since the last full clustering"); null when nothing was decided (no earlier export).</summary>
    public string? RunReason { get; init; }

    /// <summary>Faces placed by incremental runs since the last full clustering, this run's included (0 after a full run):
    /// the share it makes of the library decides when the next full clustering is due.</summary>
    public int PlacedSinceFullRun { get; init; }

    /// <summary>How the pairs of near faces were found: <see cref="Model.NeighbourSearch.Exact"/> or
    /// <see cref="Model.NeighbourSearch.Approximate"/>; null in results of versions before it was recorded.</summary>
    public NeighbourSearch? NeighbourSearch { get; init; }
}
