namespace FaceCluster.Model;

/// <summary>How two embeddings are compared.</summary>
public enum DistanceMetric
{
    /// <summary>1 - cosine similarity (0 = same direction, 2 = opposite).</summary>
    Cosine,
    /// <summary>Straight-line distance.</summary>
    Euclidean,
}
