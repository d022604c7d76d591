namespace FaceCluster.Engine.Clustering;

/// <summary>The sum of the stored distances between two groups, and how many pairs it adds up.</summary>
internal readonly record struct PairSum(double Total, long Count)
{
    public static PairSum operator +(PairSum a, PairSum b) => new(a.Total + b.Total, a.Count + b.Count);
}
