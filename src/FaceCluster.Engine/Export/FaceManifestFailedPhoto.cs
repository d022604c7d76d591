namespace FaceCluster.Engine.Export;

/// <summary>A photo the encoder could not read, as faces.json records it (<see cref="FaceManifest.FailedPhotos"/>).</summary>
public sealed record FaceManifestFailedPhoto
{
    /// <summary>The photo's path, as the error named it.</summary>
    public required string Path { get; init; }

    /// <summary>The error's stable id: the first part of its FullyQualifiedErrorId (<c>ImageTruncated</c>).</summary>
    public required string ErrorId { get; init; }

    /// <summary>The error's message.</summary>
    public required string Message { get; init; }
}
