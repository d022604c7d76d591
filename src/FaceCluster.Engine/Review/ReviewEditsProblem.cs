namespace FaceCluster.Engine.Review;

/// <summary>Why an edits file is refused as a whole (<see cref="ReviewEditsRejectedException"/>).</summary>
public enum ReviewEditsProblem
{
    /// <summary>Not JSON, not a FaceCluster edits file, of a newer schema, or an edit lacks what its action needs.</summary>
    Malformed,

    /// <summary>Its seal does not match its content: changed (or cut short) since the page wrote it.</summary>
    Tampered,

    /// <summary>Made on the review of another export, or of this folder before its last export.</summary>
    WrongExport,
}
