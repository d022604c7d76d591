using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Alignment;

/// <summary>
/// Turns a face's 68 landmarks into the chips a pack's embedding network takes: five points, a least-squares
/// similarity onto the pack's template (<see cref="FaceChipTemplate"/>, or the ArcFace template when the pack has
/// none), and, for <c>jitter</c> &gt; 1, that many seeded perturbations of the chip (<see cref="ChipJitter"/>).
/// </summary>
internal sealed class FaceChipAligner
{
    private readonly FaceChipTemplate? _template;
    private readonly FacePoint[]? _chipPoints;
    private readonly IReadOnlyList<SKMatrix> _jitter;

    public FaceChipAligner(FaceChipTemplate? template, int jitter)
    {
        _template = template;
        _chipPoints = template?.ChipPoints();
        _jitter = ChipJitter.ChipToJitteredChip(jitter, ChipSize);
    }

    public int ChipSize => _template?.ChipSize ?? FaceAligner.Size;

    /// <summary>The five points the alignment uses, in the order of the template.</summary>
    public FacePoint[] FivePoints(ReadOnlySpan<FacePoint> landmarks68) =>
        _template is null ? FivePointLandmarks.From68(landmarks68) : _template.Select(landmarks68);

    /// <summary>The similarity that takes the face of <paramref name="fivePoints"/> onto the chip.</summary>
    public SKMatrix ImageToChip(ReadOnlySpan<FacePoint> fivePoints) =>
        (_chipPoints is null ? FaceAligner.EstimateTransform(fivePoints) : SimilarityTransform.Estimate(fivePoints, _chipPoints)).ToSKMatrix();

    /// <summary>The part of the image that the chips (every jitter) of <paramref name="imageToChip"/> are cut from, in image pixels.</summary>
    public SKRect SourceBounds(SKMatrix imageToChip) =>
        _jitter.Select(j => SKMatrix.Concat(j, imageToChip).Invert().MapRect(SKRect.Create(ChipSize, ChipSize))).Aggregate(SKRect.Union);

    /// <summary>One chip per jitter (one when there is no jitter); the caller disposes them.</summary>
    public SKBitmap[] Chips(SKImage image, ReadOnlySpan<FacePoint> fivePoints) => Chips(image, ImageToChip(fivePoints));

    /// <summary>One chip per jitter of the face that <paramref name="sourceToChip"/> takes onto the chip; the caller disposes them.</summary>
    public SKBitmap[] Chips(SKImage source, SKMatrix sourceToChip) =>
        _jitter.Select(j => PatchSampler.Sample(source, SKMatrix.Concat(j, sourceToChip), ChipSize, ChipSize)).ToArray();
}
