namespace FaceCluster.Model;

/// <summary>
/// One person (a cluster), or the doubtful faces that fit no cluster. Emitted by Invoke-FaceCluster as
/// <c>FaceCluster</c> objects.
/// </summary>
public sealed class FaceGroup
{
    /// <summary>
    /// The person's id; -1 for the doubtful group. A first run numbers people 0, 1, … largest first; with
    /// <c>Invoke-FaceCluster -Previous</c> a person keeps the id of the earlier person most of whose faces it holds,
    /// and a new person gets an id never used before in that export.
    /// </summary>
    public required int Id { get; init; }

    /// <summary>The person's name (given by Rename-FaceCluster or by renaming the folder); null when unnamed.</summary>
    public string? Name { get; init; }

    /// <summary>Folder name used by Export-FaceCluster: the name made safe as a file name on every platform when named,
    /// else <c>cluster_N</c>; <c>doubtful (possibly clustered)</c> for the doubtful group.</summary>
    public required string Label { get; init; }

    /// <summary>Ids of earlier people whose faces mostly joined this one and whose ids were retired (a merge); empty
    /// when none.</summary>
    public IReadOnlyList<int> MergedIds { get; init; } = [];

    /// <summary>The earlier person this new person split from (it holds at least two faces of that person, whose id
    /// went to another group or to none); null when none.</summary>
    public int? SplitFromId { get; init; }

    public bool IsDoubtful => Id < 0;

    /// <summary>Members in a stable order (path, then face index).</summary>
    public required IReadOnlyList<ClusterMember> Members { get; init; }

    /// <summary>The medoid: the member with the smallest total distance to the others. Null for the doubtful group.</summary>
    public FaceEncoding? Representative { get; init; }

    public int FaceCount => Members.Count;

    /// <summary>The settings of the clustering that made this group (the same for every group of one run); null for a
    /// group made otherwise.</summary>
    public ClusteringSettings? Clustering { get; init; }

    /// <summary>Distinct source photos, ordinal order.</summary>
    public IReadOnlyList<string> Photos => Members.Select(m => m.Face.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public int PhotoCount => Photos.Count;

    public IEnumerable<FaceEncoding> Faces => Members.Select(m => m.Face);

    public override string ToString() => Label;

    public const string DoubtfulLabel = "doubtful (possibly clustered)";

    public static string ClusterLabel(int id) => FormattableString.Invariant($"cluster_{id}");
}
