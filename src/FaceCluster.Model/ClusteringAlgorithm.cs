namespace FaceCluster.Model;

/// <summary>How Invoke-FaceCluster groups faces.</summary>
public enum ClusteringAlgorithm
{
    /// <summary>Density-based clustering with noise (scikit-learn's DBSCAN): -Epsilon and -MinSamples.</summary>
    Dbscan,

    /// <summary>
    /// Average-linkage agglomerative clustering: two groups merge while the average distance between their faces
    /// is at most -Epsilon. Resists chaining: one close pair cannot join two people.
    /// </summary>
    AverageLinkage,
}
