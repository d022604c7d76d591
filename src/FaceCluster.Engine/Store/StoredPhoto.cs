using FaceCluster.Engine.Imaging;

namespace FaceCluster.Engine.Store;

/// <summary>
/// What encoding a photo's bytes gave under one set of settings: its faces (none when it has no face) and its size,
/// or the reason it could not be decoded.
/// </summary>
public sealed record StoredPhoto(IReadOnlyList<StoredFace> Faces, int ImageWidth, int ImageHeight, ImageDecodeFailure? Failure = null, string FailureDetail = "")
{
    /// <summary>A photo that could not be decoded, for a reason its bytes decide.</summary>
    public static StoredPhoto Failed(ImageDecodeFailure reason, string detail) => new(Array.Empty<StoredFace>(), 0, 0, reason, detail);
}
