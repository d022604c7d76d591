using FaceCluster.Engine.Model;

namespace FaceCluster.Engine.Alignment;

/// <summary>
/// Reduces iBUG 68-point landmarks to the five ArcFace points: eye centres (mean of the six eye-contour points
/// 36..41 and 42..47), nose tip (30), outer mouth corners (48, 54).
/// </summary>
public static class FivePointLandmarks
{
    /// <summary>The five points: left eye, right eye, nose tip, left mouth corner, right mouth corner (image left/right).</summary>
    public static FacePoint[] From68(ReadOnlySpan<FacePoint> points)
    {
        if (points.Length != 68)
        {
            throw new ArgumentException($"Expected 68 landmarks, got {points.Length}.", nameof(points));
        }

        return [Mean(points[36..42]), Mean(points[42..48]), points[30], points[48], points[54]];
    }

    private static FacePoint Mean(ReadOnlySpan<FacePoint> points)
    {
        float x = 0, y = 0;
        foreach (var p in points)
        {
            x += p.X;
            y += p.Y;
        }

        return new FacePoint(x / points.Length, y / points.Length);
    }
}
