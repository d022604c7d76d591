using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Alignment;

/// <summary>Warps a face onto the standard ArcFace 112x112 template with a 5-point similarity transform.</summary>
public static class FaceAligner
{
    public const int Size = 112;

    /// <summary>ArcFace reference points in the 112x112 crop: eyes, nose tip, mouth corners.</summary>
    public static IReadOnlyList<FacePoint> Reference { get; } =
    [
        new(38.2946f, 51.6963f), new(73.5318f, 51.5014f), new(56.0252f, 71.7366f), new(41.5493f, 92.3655f), new(70.7299f, 92.2041f),
    ];

    /// <summary>The similarity taking five image landmarks onto <see cref="Reference"/>.</summary>
    public static SimilarityTransform EstimateTransform(ReadOnlySpan<FacePoint> fivePoints)
    {
        Span<FacePoint> reference = stackalloc FacePoint[5];
        for (int i = 0; i < 5; i++)
        {
            reference[i] = Reference[i];
        }

        return SimilarityTransform.Estimate(fivePoints, reference);
    }

    /// <summary>The aligned 112x112 RGBA face.</summary>
    public static SKBitmap Warp(SKImage image, SimilarityTransform imageToTemplate) =>
        PatchSampler.Sample(image, imageToTemplate.ToSKMatrix(), Size, Size);
}
