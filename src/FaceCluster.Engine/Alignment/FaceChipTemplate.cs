using FaceCluster.Model;

namespace FaceCluster.Engine.Alignment;

/// <summary>
/// Where five landmarks go in a square face chip, as dlib's <c>get_face_chip_details</c> places them: template points
/// in the unit face square, moved into the padded chip by <c>(padding + p) / (1 + 2 padding) * chipSize</c>.
/// <see cref="Landmarks68"/> picks the matching points of the 68-point iBUG set.
/// </summary>
public sealed record FaceChipTemplate(int ChipSize, double Padding, IReadOnlyList<FacePoint> UnitPoints, IReadOnlyList<int> Landmarks68)
{
    /// <summary>dlib's 5-point template (dlib/image_transforms/interpolation.h), in the order of its 5-point shape predictor.</summary>
    public static IReadOnlyList<FacePoint> DlibFivePointUnitTemplate { get; } =
    [
        new(0.8595674595992f, 0.2134981538014f),
        new(0.6460604764104f, 0.2289674387677f),
        new(0.1205750620789f, 0.2137274526848f),
        new(0.3340850613712f, 0.2290642403242f),
        new(0.4901123135679f, 0.6277975316475f),
    ];

    /// <summary>The 68-point indices dlib's five points correspond to: outer and inner corner of each eye, base of the nose.</summary>
    public static IReadOnlyList<int> DlibFivePointLandmarks68 { get; } = [45, 42, 36, 39, 33];

    /// <summary>dlib's face recognition chip: 150x150, padding 0.25.</summary>
    public static FaceChipTemplate Dlib { get; } = new(150, 0.25, DlibFivePointUnitTemplate, DlibFivePointLandmarks68);

    /// <summary>The template points in chip pixels.</summary>
    public FacePoint[] ChipPoints() =>
        UnitPoints.Select(p => new FacePoint(Place(p.X), Place(p.Y))).ToArray();

    /// <summary>The landmarks of a 68-point set that align onto <see cref="ChipPoints"/>.</summary>
    public FacePoint[] Select(ReadOnlySpan<FacePoint> landmarks68)
    {
        if (landmarks68.Length != 68)
        {
            throw new ArgumentException($"Expected 68 landmarks, got {landmarks68.Length}.", nameof(landmarks68));
        }

        var selected = new FacePoint[Landmarks68.Count];
        for (int i = 0; i < selected.Length; i++)
        {
            selected[i] = landmarks68[Landmarks68[i]];
        }

        return selected;
    }

    private float Place(float unit) => (float)((Padding + unit) / (1 + (2 * Padding)) * ChipSize);
}
