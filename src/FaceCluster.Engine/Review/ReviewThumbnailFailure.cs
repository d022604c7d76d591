namespace FaceCluster.Engine.Review;

/// <summary>A face whose thumbnail could not be made; the page shows it by name.</summary>
public sealed record ReviewThumbnailFailure(string Path, int FaceIndex, Exception Error);
