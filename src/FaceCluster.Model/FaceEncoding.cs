namespace FaceCluster.Model;

/// <summary>
/// One detected face and its identity embedding. A plain managed record: nothing native, safe to keep,
/// serialise and pass between runspaces.
/// </summary>
public sealed class FaceEncoding
{
    /// <summary>Full path of the source image.</summary>
    public required string Path { get; init; }

    /// <summary>Index of the face within its image (0-based, ordered left to right, then top to bottom).</summary>
    public required int FaceIndex { get; init; }

    /// <summary>Bounding box in pixels of the upright image.</summary>
    public required FaceBox Box { get; init; }

    /// <summary>Five landmarks: left eye, right eye, nose tip, left mouth corner, right mouth corner (image left/right).</summary>
    public required FacePoint[] Landmarks { get; init; }

    /// <summary>Detector confidence, 0..1.</summary>
    public required float Confidence { get; init; }

    /// <summary>The embedding (L2-normalised for packs that compare by cosine).</summary>
    public required float[] Vector { get; init; }

    /// <summary>Model pack that produced <see cref="Vector"/>; vectors of different packs are not comparable.</summary>
    public required string Model { get; init; }

    /// <summary>Width of the upright source image in pixels.</summary>
    public required int ImageWidth { get; init; }

    /// <summary>Height of the upright source image in pixels.</summary>
    public required int ImageHeight { get; init; }

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)}#{FaceIndex}";
}
