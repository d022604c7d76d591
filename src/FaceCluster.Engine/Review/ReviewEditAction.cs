namespace FaceCluster.Engine.Review;

/// <summary>What one edit of the review page does (<see cref="ReviewEdit"/>), each the work of one correction cmdlet.</summary>
public enum ReviewEditAction
{
    /// <summary>Names person <see cref="ReviewEdit.Id"/> (Rename-FaceCluster).</summary>
    Name,

    /// <summary>Merges person <see cref="ReviewEdit.Id"/> into <see cref="ReviewEdit.Into"/> (Merge-FaceCluster).</summary>
    Merge,

    /// <summary>Moves the faces into person <see cref="ReviewEdit.Into"/> (Move-FaceClusterMember -Into).</summary>
    Move,

    /// <summary>Makes the faces one new person (Move-FaceClusterMember -NewPerson).</summary>
    NewPerson,

    /// <summary>The faces are not faces, or are ignored (Hide-FaceClusterMember).</summary>
    Hide,

    /// <summary>The faces are not person <see cref="ReviewEdit.Id"/> (Remove-FaceClusterMember).</summary>
    Remove,

    /// <summary>The faces of person <see cref="ReviewEdit.Id"/> are another, new person (Split-FaceCluster).</summary>
    Split,
}
