using SkiaSharp;

namespace FaceCluster.Engine.Detection;

/// <summary>A face detector network with its own input size, normalisation, box decoding and suppression.</summary>
internal interface IFaceDetector
{
    /// <summary>Faces in <paramref name="image"/> (its pixel coordinates, boxes clamped to it), most confident first.</summary>
    List<DetectedFace> Detect(SKImage image, float minConfidence);
}
