using FaceCluster.Engine.Model;

namespace FaceCluster.Engine.Detection;

/// <summary>Greedy IoU non-maximum suppression.</summary>
public static class NonMaxSuppression
{
    /// <summary>Intersection over union of two boxes (0 when either is empty).</summary>
    public static float IoU(FaceBox a, FaceBox b)
    {
        float iw = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);
        float ih = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        if (iw <= 0 || ih <= 0)
        {
            return 0;
        }

        float inter = iw * ih;
        float union = a.Width * a.Height + b.Width * b.Height - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /// <summary>Keeps the most confident box of each overlapping group (IoU above <paramref name="iouThreshold"/>), most confident first.</summary>
    public static List<DetectedFace> Apply(IEnumerable<DetectedFace> candidates, float iouThreshold)
    {
        var sorted = candidates.OrderByDescending(c => c.Confidence).ToList();
        var kept = new List<DetectedFace>();
        foreach (var c in sorted)
        {
            if (kept.TrueForAll(k => IoU(k.Box, c.Box) <= iouThreshold))
            {
                kept.Add(c);
            }
        }

        return kept;
    }
}
