using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Detection;

/// <summary>
/// The 68-point landmark network: a square crop around the detector box (side = box height, centred, shifted to stay
/// inside the image), resized to 64x64 grey (luminance / 256); the output is 68 (x, y) pairs normalised to the crop.
/// </summary>
internal sealed class LandmarkDetector
{
    public const int InputSize = 64;
    public const int PointCount = 68;

    private readonly OnnxModel _model;

    public LandmarkDetector(OnnxModel model)
    {
        _model = model;
    }

    /// <summary>68 landmarks in the pixel coordinates of <paramref name="image"/>.</summary>
    public FacePoint[] Detect(SKImage image, FaceBox box) =>
        Detect(image, SKMatrix.Identity, box, image.Width, image.Height);

    /// <summary>
    /// 68 landmarks in the pixel coordinates of an image of <paramref name="width"/> x <paramref name="height"/> (those of
    /// <paramref name="box"/>), whose pixels are read from <paramref name="source"/>: a region of it, or the same at
    /// another scale, that <paramref name="sourceToImage"/> maps onto it.
    /// </summary>
    public FacePoint[] Detect(SKImage source, SKMatrix sourceToImage, FaceBox box, int width, int height)
    {
        var crop = CropSquare(box, width, height);
        var input = new float[InputSize * InputSize];
        var imageToPatch = PatchSampler.RectToPatch(crop.X, crop.Y, crop.Width, crop.Height, InputSize, InputSize);
        using (var patch = PatchSampler.Sample(source, SKMatrix.Concat(imageToPatch, sourceToImage), InputSize, InputSize))
        {
            PixelTensor.FillGray(patch, input, 256f);
        }

        var output = _model.Run(input, [1, 1, InputSize, InputSize])[0];
        var points = new FacePoint[PointCount];
        for (int i = 0; i < PointCount; i++)
        {
            points[i] = new FacePoint(crop.X + output[2 * i] * crop.Width, crop.Y + output[2 * i + 1] * crop.Height);
        }

        return points;
    }

    /// <summary>The square (side = box height, at most the image's shorter side) centred on the box, shifted inside the image.</summary>
    public static FaceBox CropSquare(FaceBox box, int width, int height)
    {
        float side = Math.Min(box.Height, Math.Min(width, height));
        float x = Math.Clamp(box.CenterX - side / 2, 0, width - side);
        float y = Math.Clamp(box.CenterY - side / 2, 0, height - side);
        return new FaceBox(x, y, side, side);
    }
}
