using SkiaSharp;

namespace FaceCluster.Engine.Alignment;

/// <summary>
/// Deterministic chip perturbations for averaging several encodings of one face (face_recognition's
/// <c>num_jitters</c>), after dlib's <c>jitter_image</c>: the chip's inner rectangle (3 pixels in from each edge) is
/// moved by up to 2% of its size, enlarged to 1/0.97..1/0.99999 of its size, rotated by up to 3 degrees, re-sampled to
/// the full chip, and mirrored left-right half of the time. The generator is seeded with a constant, so the same face
/// gives the same encoding on every run.
/// </summary>
public static class ChipJitter
{
    public const int Seed = 1_048_583;
    private const double MaxRotationDegrees = 3;
    private const double MinObjectHeight = 0.97;
    private const double MaxObjectHeight = 0.99999;
    private const double TranslateAmount = 0.02;
    private const int Shrink = 3;

    /// <summary>
    /// <paramref name="count"/> maps from chip pixels to jittered chip pixels (compose them after the image-to-chip
    /// map). dlib does not jitter at all for one: <paramref name="count"/> 1 gives the identity.
    /// </summary>
    public static IReadOnlyList<SKMatrix> ChipToJitteredChip(int count, int chipSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chipSize, 2 * Shrink + 2);
        if (count == 1)
        {
            return [SKMatrix.Identity];
        }

        var random = new Random(Seed);
        double inner = chipSize - (2 * Shrink);
        double centre = (chipSize - 1) / 2.0;
        var maps = new SKMatrix[count];
        for (int i = 0; i < count; i++)
        {
            double shiftX = InRange(random, -TranslateAmount, TranslateAmount) * inner;
            double shiftY = InRange(random, -TranslateAmount, TranslateAmount) * inner;
            double boxSize = inner / InRange(random, MinObjectHeight, MaxObjectHeight);
            double angle = InRange(random, -MaxRotationDegrees, MaxRotationDegrees) * Math.PI / 180;
            bool mirror = random.NextDouble() > 0.5;

            // The crop box (centre c + shift, side boxSize, rotated by angle) fills the whole jittered chip:
            // jittered = centre + (chipSize / boxSize) * R(-angle) * (p - (centre + shift)), then mirrored.
            double scale = chipSize / boxSize;
            double a = scale * Math.Cos(-angle);
            double b = scale * Math.Sin(-angle);
            double fromX = centre + shiftX;
            double fromY = centre + shiftY;
            double tx = centre - ((a * fromX) - (b * fromY));
            double ty = centre - ((b * fromX) + (a * fromY));
            var map = new SKMatrix((float)a, (float)-b, (float)tx, (float)b, (float)a, (float)ty, 0, 0, 1);
            if (mirror)
            {
                map = SKMatrix.Concat(new SKMatrix(-1, 0, chipSize - 1, 0, 1, 0, 0, 0, 1), map);
            }

            maps[i] = map;
        }

        return maps;
    }

    private static double InRange(Random random, double low, double high) => low + ((high - low) * random.NextDouble());
}
