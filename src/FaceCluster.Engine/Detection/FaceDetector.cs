using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Detection;

/// <summary>
/// The Ultra-Light face detector (320x240 input). The network's "boxes" output is already decoded to normalised corners
/// (x1, y1, x2, y2), so no prior boxes are needed: threshold, scale to the image, then IoU NMS.
/// </summary>
internal sealed class FaceDetector
{
    public const int InputWidth = 320;
    public const int InputHeight = 240;
    public const float DefaultIouThreshold = 0.35f;

    private readonly OnnxModel _model;
    private readonly int _scoresIndex;
    private readonly int _boxesIndex;

    public FaceDetector(OnnxModel model)
    {
        _model = model;
        _scoresIndex = IndexOf(model.OutputNames, "scores");
        _boxesIndex = IndexOf(model.OutputNames, "boxes");
    }

    /// <summary>Feed B,G,R instead of R,G,B (kept only to measure which the network wants).</summary>
    internal bool Bgr { get; init; }

    public float IouThreshold { get; init; } = DefaultIouThreshold;

    /// <summary>Faces in <paramref name="image"/> (its pixel coordinates), most confident first.</summary>
    public List<DetectedFace> Detect(SKImage image, float minConfidence)
    {
        var input = new float[3 * InputWidth * InputHeight];
        using (var resized = PatchSampler.Sample(image,
                   PatchSampler.RectToPatch(0, 0, image.Width, image.Height, InputWidth, InputHeight), InputWidth, InputHeight))
        {
            PixelTensor.FillChw(resized, input, 127f, 128f, Bgr);
        }

        var outputs = _model.Run(input, [1, 3, InputHeight, InputWidth]);
        var candidates = DecodeCandidates(outputs[_scoresIndex], outputs[_boxesIndex], minConfidence, image.Width, image.Height);
        return NonMaxSuppression.Apply(candidates, IouThreshold);
    }

    /// <summary>
    /// Boxes whose face score (class 1 of each score pair) reaches <paramref name="minConfidence"/>, scaled from
    /// normalised corners to an image of <paramref name="width"/> x <paramref name="height"/> and clamped to it.
    /// </summary>
    public static List<DetectedFace> DecodeCandidates(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, float minConfidence, int width, int height)
    {
        int count = Math.Min(scores.Length / 2, boxes.Length / 4);
        var result = new List<DetectedFace>();
        for (int i = 0; i < count; i++)
        {
            float score = scores[2 * i + 1];
            if (score < minConfidence)
            {
                continue;
            }

            float x1 = Math.Clamp(boxes[4 * i] * width, 0, width);
            float y1 = Math.Clamp(boxes[4 * i + 1] * height, 0, height);
            float x2 = Math.Clamp(boxes[4 * i + 2] * width, 0, width);
            float y2 = Math.Clamp(boxes[4 * i + 3] * height, 0, height);
            if (x2 > x1 && y2 > y1)
            {
                result.Add(new DetectedFace(new FaceBox(x1, y1, x2 - x1, y2 - y1), score));
            }
        }

        return result;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The detector model has no output '{name}' (outputs: {string.Join(", ", names)}).");
    }
}
