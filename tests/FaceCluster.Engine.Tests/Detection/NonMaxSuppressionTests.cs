using FaceCluster.Engine.Detection;
using FaceCluster.Engine.Model;

namespace FaceCluster.Engine.Tests.Detection;

public class NonMaxSuppressionTests
{
    [Fact]
    public void IoU_of_known_boxes()
    {
        var a = new FaceBox(0, 0, 10, 10);
        Assert.Equal(1f, NonMaxSuppression.IoU(a, a), 1e-6);
        Assert.Equal(0f, NonMaxSuppression.IoU(a, new FaceBox(10, 0, 10, 10)));
        Assert.Equal(25f / 175f, NonMaxSuppression.IoU(a, new FaceBox(5, 5, 10, 10)), 1e-6);
    }

    [Fact]
    public void Apply_keeps_the_best_of_each_overlapping_group()
    {
        var candidates = new[]
        {
            new DetectedFace(new FaceBox(0, 0, 100, 100), 0.80f),
            new DetectedFace(new FaceBox(5, 5, 100, 100), 0.95f),   // overlaps the first strongly, better score
            new DetectedFace(new FaceBox(300, 0, 80, 80), 0.70f),   // separate face
            new DetectedFace(new FaceBox(60, 60, 100, 100), 0.90f), // IoU with the best is ~0.17: kept
        };

        var kept = NonMaxSuppression.Apply(candidates, 0.35f);

        Assert.Equal([0.95f, 0.90f, 0.70f], kept.Select(k => k.Confidence));
    }

    [Fact]
    public void DecodeCandidates_thresholds_class_one_and_scales_normalised_corners()
    {
        float[] scores = [0.9f, 0.1f, 0.2f, 0.8f, 0.0f, 1.0f];
        float[] boxes = [0.1f, 0.1f, 0.2f, 0.2f, 0.25f, 0.5f, 0.75f, 1.0f, -0.1f, 0.9f, 0.3f, 1.2f];

        var found = FaceDetector.DecodeCandidates(scores, boxes, 0.5f, 640, 480);

        Assert.Equal(2, found.Count);
        Assert.Equal(new FaceBox(160, 240, 320, 240), found[0].Box);
        Assert.Equal(0.8f, found[0].Confidence);
        Assert.Equal(new FaceBox(0, 432, 192, 48), found[1].Box); // clamped to the image
    }

    [Fact]
    public void Landmark_crop_is_a_square_of_box_height_kept_inside_the_image()
    {
        Assert.Equal(new FaceBox(40, 50, 100, 100), LandmarkDetector.CropSquare(new FaceBox(60, 50, 60, 100), 640, 480));
        Assert.Equal(new FaceBox(0, 0, 100, 100), LandmarkDetector.CropSquare(new FaceBox(0, 0, 60, 100), 640, 480));
        Assert.Equal(new FaceBox(540, 380, 100, 100), LandmarkDetector.CropSquare(new FaceBox(600, 400, 40, 100), 640, 480));
        Assert.Equal(new FaceBox(0, 0, 50, 50), LandmarkDetector.CropSquare(new FaceBox(0, 0, 50, 80), 200, 50));
    }
}
