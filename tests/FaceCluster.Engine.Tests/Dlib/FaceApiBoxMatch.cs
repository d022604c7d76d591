using FaceCluster.Engine.Detection;
using FaceCluster.Model;
using Xunit.Abstractions;

namespace FaceCluster.Engine.Tests.Dlib;

/// <summary>Matches face-api's boxes of one photo one-to-one with ours and asserts each pair's IoU.</summary>
internal static class FaceApiBoxMatch
{
    /// <summary>
    /// For each face-api face of <paramref name="photo"/>, the still unmatched box of <paramref name="found"/> with the
    /// highest IoU must reach <paramref name="minIoU"/>. face-api does not clamp a box that reaches into its square
    /// padding; the engine clamps to the photo, so face-api's box is clamped to <paramref name="width"/> x
    /// <paramref name="height"/> first. Returns the IoUs.
    /// </summary>
    public static List<float> AssertEachFaceMatched(IGrouping<string, DlibReferenceFace> photo, IEnumerable<FaceBox> found, int width, int height, float minIoU, ITestOutputHelper output)
    {
        var unmatched = found.ToList();
        Assert.True(photo.Count() == unmatched.Count, $"{photo.Key}: face-api found {photo.Count()} faces, we found {unmatched.Count}.");
        var ious = new List<float>();
        foreach (DlibReferenceFace face in photo)
        {
            FaceBox expected = Clamped(face.Box, width, height);
            FaceBox best = unmatched.MaxBy(box => NonMaxSuppression.IoU(box, expected));
            float iou = NonMaxSuppression.IoU(best, expected);
            output.WriteLine($"{photo.Key} face {face.Index}: IoU {iou:0.000} (ours {best})");
            Assert.True(iou >= minIoU, $"{photo.Key} face {face.Index}: the best box has IoU {iou:0.000} with face-api's, below {minIoU}.");
            unmatched.Remove(best);
            ious.Add(iou);
        }

        return ious;
    }

    private static FaceBox Clamped(float[] box, int width, int height)
    {
        float left = Math.Clamp(box[0], 0, width);
        float top = Math.Clamp(box[1], 0, height);
        float right = Math.Clamp(box[0] + box[2], 0, width);
        float bottom = Math.Clamp(box[1] + box[3], 0, height);
        return new FaceBox(left, top, right - left, bottom - top);
    }
}
