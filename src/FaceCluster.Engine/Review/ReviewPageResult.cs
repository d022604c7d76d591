namespace FaceCluster.Engine.Review;

/// <summary>What <see cref="ReviewPageWriter.Write"/> did.</summary>
public sealed record ReviewPageResult
{
    /// <summary>Full path of <c>index.html</c>.</summary>
    public required string IndexPath { get; init; }

    public required int Pages { get; init; }

    public required int ThumbnailsMade { get; init; }

    public required int ThumbnailsReused { get; init; }

    public required IReadOnlyList<ReviewThumbnailFailure> Failures { get; init; }
}
