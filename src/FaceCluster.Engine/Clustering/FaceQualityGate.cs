using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Keeps detections that are probably not faces out of every person: a fragment inside or beside a much larger face of
/// the same photo (eyes and mouths are found inside the face they belong to, ears, beards and hair next to it), or a
/// second box mostly inside a larger face; a low detector score too, when <see cref="MinConfidence"/> is set. Chosen on the labelled detections of pins-library and LFW
/// (bench/FaceGateBench.cs, bench/non-faces.tsv; docs/benchmarks.md). <see cref="FaceClusterer"/> puts the faces it
/// gates among the doubtful faces with the reason (<see cref="ClusterMember.Gate"/>).
/// </summary>
public sealed record FaceQualityGate
{
    /// <summary>The gate Invoke-FaceCluster applies unless told otherwise.</summary>
    public static FaceQualityGate Default { get; } = new();

    /// <summary>
    /// A detector score below this is <see cref="FaceGateReason.LowScore"/>. 0 by default: on pins-library and LFW a score
    /// limit of 0.75 or 0.8 set aside more real faces than non-faces the other rules had not caught.
    /// </summary>
    public float MinConfidence { get; init; }

    /// <summary>
    /// A face whose centre lies inside another face's box and whose shorter side is below this share of that face's
    /// is a <see cref="FaceGateReason.Fragment"/> (an eye, a mouth).
    /// </summary>
    public double FragmentInsideSide { get; init; } = 0.5;

    /// <summary>
    /// A face whose centre lies outside another face's box but within <see cref="FragmentReach"/> of it, and whose shorter
    /// side is below this share of that face's, is a <see cref="FaceGateReason.Fragment"/> (an ear, hair, a beard). Smaller
    /// than <see cref="FragmentInsideSide"/>: a face in the background beside a larger one is often a third of its size.
    /// </summary>
    public double FragmentBesideSide { get; init; } = 0.3;

    /// <summary>How far beyond the larger face's box a fragment's centre may lie, as a share of that box's width (height).</summary>
    public double FragmentReach { get; init; } = 0.5;

    /// <summary>A face with at least this share of its box inside the box of a larger face is <see cref="FaceGateReason.InsideFace"/>.</summary>
    public double MaxInside { get; init; } = 0.5;

    /// <summary>Why <paramref name="face"/> is gated, given the faces of its photo (<paramref name="photo"/>, which may
    /// include it); null when it passes.</summary>
    public FaceGateReason? Check(FaceEncoding face, IEnumerable<FaceEncoding> photo)
    {
        ArgumentNullException.ThrowIfNull(face);
        ArgumentNullException.ThrowIfNull(photo);
        if (face.Confidence < MinConfidence)
        {
            return FaceGateReason.LowScore;
        }

        FaceBox a = face.Box;
        FaceGateReason? reason = null;
        foreach (FaceEncoding other in photo)
        {
            FaceBox b = other.Box;
            if (other.FaceIndex == face.FaceIndex || b.Area <= a.Area)
            {
                continue;
            }

            double dx = Math.Abs(a.CenterX - b.CenterX) / b.Width, dy = Math.Abs(a.CenterY - b.CenterY) / b.Height;
            bool inside = dx <= 0.5 && dy <= 0.5, beside = dx <= 0.5 + FragmentReach && dy <= 0.5 + FragmentReach;
            if (Side(a) < (inside ? FragmentInsideSide : beside ? FragmentBesideSide : 0) * Side(b))
            {
                return FaceGateReason.Fragment;
            }

            if (a.Area > 0 && Overlap(a, b) >= MaxInside * a.Area)
            {
                reason = FaceGateReason.InsideFace;
            }
        }

        return reason;
    }

    private static float Side(FaceBox box) => Math.Min(box.Width, box.Height);

    private static double Overlap(FaceBox a, FaceBox b) =>
        Math.Max(0, Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X)) * (double)Math.Max(0, Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y));
}
