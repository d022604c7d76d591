using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Detection;

/// <summary>
/// face-api's SSD MobileNet v1 as FaceCluster.ModelConverter converts it (boxes already decoded from the anchors in the
/// graph), run the way face-api's <c>SsdMobilenetv1.locateFaces</c> runs it: the photo padded with black at the bottom or
/// right to a square, resized to 512x512 with TensorFlow's resize (<see cref="LegacyBilinearResize"/>), <c>pixel / 127.5 - 1</c>; scores above the threshold (face-api's default 0.5),
/// greedy suppression of overlaps with IoU above 0.5, at most 100 faces; boxes clamped to the photo.
/// </summary>
internal sealed class SsdMobilenetV1Detector : IFaceDetector
{
    public const int InputSize = 512;

    /// <summary>face-api's <c>locateFaces</c>: <c>const iouThreshold = 0.5</c>.</summary>
    public const float IouThreshold = 0.5f;

    /// <summary>face-api's <c>SsdMobilenetv1Options</c> default <c>maxResults</c>.</summary>
    public const int MaxResults = 100;

    private readonly OnnxModel _model;
    private readonly int _scoresIndex;
    private readonly int _boxesIndex;

    public SsdMobilenetV1Detector(OnnxModel model)
    {
        _model = model;
        _scoresIndex = model.OutputIndex("scores");
        _boxesIndex = model.OutputIndex("boxes");
    }

    public List<DetectedFace> Detect(SKImage image, float minConfidence)
    {
        var input = new float[3 * InputSize * InputSize];
        LegacyBilinearResize.FillPaddedSquareChw(image, InputSize, input, 127.5f, -1f);

        var outputs = _model.Run(input, [1, 3, InputSize, InputSize]);
        var candidates = DecodeCandidates(outputs[_scoresIndex], outputs[_boxesIndex], minConfidence, image.Width, image.Height);
        var kept = NonMaxSuppression.Apply(candidates, IouThreshold);
        return kept.Count > MaxResults ? kept.GetRange(0, MaxResults) : kept;
    }

    /// <summary>
    /// Boxes whose score is above <paramref name="minConfidence"/> (strictly, as face-api), scaled from (top, left, bottom,
    /// right) in units of the padded square to the pixels of a <paramref name="width"/> x <paramref name="height"/> photo
    /// and clamped to it.
    /// </summary>
    public static List<DetectedFace> DecodeCandidates(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, float minConfidence, int width, int height)
    {
        float side = Math.Max(width, height);
        int count = Math.Min(scores.Length, boxes.Length / 4);
        var result = new List<DetectedFace>();
        for (int i = 0; i < count; i++)
        {
            if (!(scores[i] > minConfidence))
            {
                continue;
            }

            float top = Math.Clamp(boxes[4 * i] * side, 0, height);
            float left = Math.Clamp(boxes[4 * i + 1] * side, 0, width);
            float bottom = Math.Clamp(boxes[4 * i + 2] * side, 0, height);
            float right = Math.Clamp(boxes[4 * i + 3] * side, 0, width);
            if (right > left && bottom > top)
            {
                result.Add(new DetectedFace(new FaceBox(left, top, right - left, bottom - top), scores[i]));
            }
        }

        return result;
    }
}
