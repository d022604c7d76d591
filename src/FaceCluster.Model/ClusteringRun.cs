namespace FaceCluster.Model;

/// <summary>How Invoke-FaceCluster reached its people.</summary>
public enum ClusteringRun
{
    /// <summary>Every face clustered from scratch (the earlier export's people matched afterwards).</summary>
    Full,

    /// <summary>With -Previous: the earlier people kept as they were, only the new faces placed (joining a person or
    /// forming new ones); the work grows with the new faces, not the library.</summary>
    Incremental,
}
