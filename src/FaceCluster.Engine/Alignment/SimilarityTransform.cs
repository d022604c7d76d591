using FaceCluster.Engine.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Alignment;

/// <summary>
/// A 2-D similarity transform (uniform scale, rotation, translation; never a reflection):
/// x' = A·x − B·y + Tx, y' = B·x + A·y + Ty, where A = s·cos θ and B = s·sin θ.
/// </summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    public double Scale => Math.Sqrt(A * A + B * B);

    /// <summary>Rotation in radians.</summary>
    public double Rotation => Math.Atan2(B, A);

    public static SimilarityTransform FromScaleRotationTranslation(double scale, double rotation, double tx, double ty) =>
        new(scale * Math.Cos(rotation), scale * Math.Sin(rotation), tx, ty);

    /// <summary>
    /// The least-squares similarity taking <paramref name="source"/> onto <paramref name="destination"/> (Umeyama's
    /// estimate restricted to proper rotations, which in 2-D has this closed form).
    /// </summary>
    public static SimilarityTransform Estimate(ReadOnlySpan<FacePoint> source, ReadOnlySpan<FacePoint> destination)
    {
        if (source.Length != destination.Length || source.Length < 2)
        {
            throw new ArgumentException("Need at least two point pairs, as many source as destination points.");
        }

        int n = source.Length;
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++)
        {
            sx += source[i].X; sy += source[i].Y; dx += destination[i].X; dy += destination[i].Y;
        }

        sx /= n; sy /= n; dx /= n; dy /= n;
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            double px = source[i].X - sx, py = source[i].Y - sy;
            double qx = destination[i].X - dx, qy = destination[i].Y - dy;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }

        if (norm <= double.Epsilon)
        {
            throw new ArgumentException("Source points coincide; no transform can be estimated.");
        }

        double a = dot / norm, b = cross / norm;
        return new SimilarityTransform(a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy));
    }

    public FacePoint Apply(FacePoint p) =>
        new((float)(A * p.X - B * p.Y + Tx), (float)(B * p.X + A * p.Y + Ty));

    public SimilarityTransform Invert()
    {
        double s2 = A * A + B * B;
        double ia = A / s2, ib = -B / s2;
        return new SimilarityTransform(ia, ib, -(ia * Tx - ib * Ty), -(ib * Tx + ia * Ty));
    }

    /// <summary>The transform as a Skia matrix (for drawing the source through it).</summary>
    public SKMatrix ToSKMatrix() => new((float)A, (float)-B, (float)Tx, (float)B, (float)A, (float)Ty, 0, 0, 1);
}
