namespace FaceCluster.Engine.Review;

/// <summary>One page (or style sheet) of the review site: its path relative to the export folder, '/' separated.</summary>
public sealed record ReviewFile(string RelativePath, string Content);
