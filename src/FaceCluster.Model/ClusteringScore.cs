namespace FaceCluster.Model;

/// <summary>
/// How well a clustering matches the true identities. Pairwise scores count pairs of items (same cluster vs same
/// identity); BCubed scores average, over items, the share of the item's cluster that is its identity
/// (precision) and of its identity that is in its cluster (recall). Doubtful (noise) items count as singletons.
/// </summary>
public sealed record ClusteringScore(
    int ItemCount,
    int ClusterCount,
    int IdentityCount,
    int DoubtfulCount,
    double PairwisePrecision,
    double PairwiseRecall,
    double PairwiseF1,
    double BCubedPrecision,
    double BCubedRecall,
    double BCubedF1)
{
    /// <summary>
    /// Faces of the clustering that were not scored: those in photos outside the ground truth and, unless every
    /// face of a photo is credited (Measure-FaceCluster -AllFaces), all but the largest face of each labelled photo.
    /// </summary>
    public int UnscoredFaceCount { get; init; }

    /// <summary>Share of items left doubtful (noise), 0..1.</summary>
    public double DoubtfulShare => ItemCount == 0 ? 0 : (double)DoubtfulCount / ItemCount;
}
