namespace FaceCluster.Model;

/// <summary>A face's bounding box in pixels of the upright (EXIF-oriented) full-size image.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public float CenterX => X + Width / 2f;
    public float CenterY => Y + Height / 2f;

    /// <summary>Width times height, in square pixels.</summary>
    public double Area => (double)Width * Height;

    public override string ToString() => FormattableString.Invariant($"{X:0},{Y:0} {Width:0}x{Height:0}");
}
