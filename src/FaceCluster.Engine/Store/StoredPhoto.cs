using FaceCluster.Engine.Imaging;
using FaceCluster.Model;

namespace FaceCluster.Engine.Store;

/// <summary>
/// What encoding a photo's bytes gave under one set of settings: its faces (none when it has no face) and its size,
/// or the reason it could not be decoded.
/// </summary>
public sealed record StoredPhoto(IReadOnlyList<StoredFace> Faces, int ImageWidth, int ImageHeight, ImageDecodeFailure? Failure = null, string FailureDetail = "")
{
    /// <summary>A photo that could not be decoded, for a reason its bytes decide.</summary>
    public static StoredPhoto Failed(ImageDecodeFailure reason, string detail) => new(Array.Empty<StoredFace>(), 0, 0, reason, detail);

    /// <summary>The faces as the encoder of pack <paramref name="model"/> gave them for the photo at <paramref name="path"/>.</summary>
    public IReadOnlyList<FaceEncoding> FacesAt(string path, string model) => Faces.Select(f => new FaceEncoding
    {
        Path = path,
        FaceIndex = f.FaceIndex,
        Box = f.Box,
        Landmarks = f.Landmarks,
        Confidence = f.Confidence,
        Vector = f.Vector,
        Model = model,
        ImageWidth = ImageWidth,
        ImageHeight = ImageHeight,
    }).ToArray();
}
