namespace FaceCluster.Model;

/// <summary>A landmark in pixels of the upright (EXIF-oriented) full-size image.</summary>
public readonly record struct FacePoint(float X, float Y)
{
    public override string ToString() => FormattableString.Invariant($"{X:0.0},{Y:0.0}");
}
