namespace FaceCluster.Engine.Review;

/// <summary>One page (or style sheet) of the review site: its path relative to the export folder, '/' separated.</summary>
public sealed record ReviewFile(string RelativePath, string Content)
{
    /// <summary>Fingerprint of everything the page shows (<see cref="ReviewPageState"/>); null for the pages that are
    /// built on every export (the first page, the failed photos, the scripts).</summary>
    public string? Inputs { get; init; }

    /// <summary>The page on disk is this one, as an earlier export wrote it (<see cref="ReviewInput.IsKept"/>): not
    /// built again, <see cref="Content"/> empty.</summary>
    public bool Kept { get; init; }
}
