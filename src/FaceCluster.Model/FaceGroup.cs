namespace FaceCluster.Model;

/// <summary>
/// One person (a cluster), or the doubtful faces that fit no cluster. Emitted by Invoke-FaceCluster as
/// <c>FaceCluster</c> objects.
/// </summary>
public sealed class FaceGroup
{
    /// <summary>Cluster number, 0 for the largest; -1 for the doubtful group.</summary>
    public required int Id { get; init; }

    /// <summary>Folder name used by Export-FaceCluster: <c>cluster_N</c> or <c>doubtful (possibly clustered)</c>.</summary>
    public required string Label { get; init; }

    public bool IsDoubtful => Id < 0;

    /// <summary>Members in a stable order (path, then face index).</summary>
    public required IReadOnlyList<ClusterMember> Members { get; init; }

    /// <summary>The medoid: the member with the smallest total distance to the others. Null for the doubtful group.</summary>
    public FaceEncoding? Representative { get; init; }

    public int FaceCount => Members.Count;

    /// <summary>Distinct source photos, ordinal order.</summary>
    public IReadOnlyList<string> Photos => Members.Select(m => m.Face.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public int PhotoCount => Photos.Count;

    public IEnumerable<FaceEncoding> Faces => Members.Select(m => m.Face);

    public override string ToString() => Label;

    public const string DoubtfulLabel = "doubtful (possibly clustered)";

    public static string ClusterLabel(int id) => FormattableString.Invariant($"cluster_{id}");
}
