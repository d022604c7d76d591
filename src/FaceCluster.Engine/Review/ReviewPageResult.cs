namespace FaceCluster.Engine.Review;

/// <summary>What <see cref="ReviewPageWriter.Write"/> did.</summary>
public sealed record ReviewPageResult
{
    /// <summary>Full path of <c>index.html</c>.</summary>
    public required string IndexPath { get; init; }

    /// <summary>Pages and style sheets written or already up to date.</summary>
    public required int Pages { get; init; }

    public required int ThumbnailsMade { get; init; }

    public required int ThumbnailsReused { get; init; }

    public required IReadOnlyList<ReviewThumbnailFailure> Failures { get; init; }

    /// <summary>What was at a page's path and not the export's, or a link: left as it was.</summary>
    public required IReadOnlyList<ReviewFileLeftAlone> LeftAlone { get; init; }
}
