namespace FaceCluster.Engine.People;

/// <summary>The kinds of entry in corrections.json.</summary>
public enum CorrectionKind
{
    /// <summary>A person's name (Rename-FaceCluster, or a renamed folder).</summary>
    Name,

    /// <summary>Two people are one (Merge-FaceCluster).</summary>
    Merge,

    /// <summary>A face is not a person (Remove-FaceClusterMember, or a photo deleted from a person's folder).</summary>
    Removal,

    /// <summary>A face is a person (Move-FaceClusterMember, Split-FaceCluster).</summary>
    Move,

    /// <summary>A face is not a face, or is ignored (Hide-FaceClusterMember).</summary>
    Hide,
}
