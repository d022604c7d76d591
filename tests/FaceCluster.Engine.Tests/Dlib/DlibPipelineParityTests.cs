using FaceCluster.Engine.Encoding;
using FaceCluster.Model;
using FaceCluster.Engine.Models;
using Xunit.Abstractions;

namespace FaceCluster.Engine.Tests.Dlib;

/// <summary>
/// The whole dlib pipeline (faceplugin's detector and 68 landmarks, dlib's 5-point chip, the converted network) against
/// face-api's own pipeline (SSD MobileNet, its 68 landmarks, an axis-aligned crop around them) on the six samples.
/// </summary>
public sealed class DlibPipelineParityTests(ITestOutputHelper output)
{
    /// <summary>
    /// The two pipelines find the faces with different detectors and landmark networks and cut the chip differently:
    /// dlib (and this pack) rotates and scales five points onto its template, so the chip is upright; face-api crops an
    /// upright box around its 68 landmarks and so feeds the network a face tilted by its roll. The descriptors cannot be
    /// equal. For a face whose roll is at most <see cref="UprightRollDegrees"/>, the two chips show nearly the same face,
    /// so both must say "same person" by dlib's own rule, a Euclidean distance below 0.6, and the descriptor must be
    /// nearer to face-api's for that face than to face-api's for any other face in the photo. For a strongly rolled face
    /// face-api's own chip is out of what the network was trained on (the samples reach 43 degrees, distance 0.72), so
    /// only a loose bound holds: below <see cref="RolledTolerance"/>.
    /// </summary>
    private const double SamePersonTolerance = 0.6;
    private const double UprightRollDegrees = 20;
    private const double RolledTolerance = 0.8;

    [Fact]
    public void DlibPackFindsTheSameFacesAsFaceApiWithSamePersonDescriptors()
    {
        DlibReferenceRun reference = DlibReferenceRun.Load(DlibTestArtifacts.ReferenceDirectory);
        ModelPack pack = ModelPackCatalog.Load(TestAssets.ModelsDirectory).Get("dlib");
        using var encoder = FaceEncoder.Create(pack, new FaceEncoderOptions());

        var distances = new List<double>();
        foreach (var photo in reference.Faces.GroupBy(f => f.Photo))
        {
            IReadOnlyList<FaceEncoding> faces = encoder.Encode(Path.Combine(TestAssets.SamplesDirectory, photo.Key));
            Assert.True(photo.Count() == faces.Count, $"{photo.Key}: face-api found {photo.Count()} faces, the dlib pack {faces.Count}.");
            foreach (FaceEncoding face in faces)
            {
                DlibReferenceFace match = photo.MinBy(r => CentreDistance(r.Box, face.Box))!;
                double distance = DlibChipParityTests.EuclideanDistance(face.Vector, match.Descriptor);
                double nearestOther = photo.Where(r => r != match).Min(r => DlibChipParityTests.EuclideanDistance(face.Vector, r.Descriptor));
                double roll = RollDegrees(match.Landmarks68);
                output.WriteLine($"{photo.Key} face {face.FaceIndex} (roll {roll:0} degrees): {distance:0.000} to face-api's face {match.Index}, {nearestOther:0.000} to the nearest other");
                if (Math.Abs(roll) <= UprightRollDegrees)
                {
                    Assert.True(distance < SamePersonTolerance, $"{photo.Key} face {face.FaceIndex}: distance {distance:0.000} to face-api's descriptor is not below {SamePersonTolerance}.");
                    Assert.True(distance < nearestOther, $"{photo.Key} face {face.FaceIndex}: nearer ({nearestOther:0.000}) to another face-api face than to its own ({distance:0.000}).");
                }
                else
                {
                    Assert.True(distance < RolledTolerance, $"{photo.Key} face {face.FaceIndex} (roll {roll:0} degrees): distance {distance:0.000} to face-api's descriptor is not below {RolledTolerance}.");
                }

                distances.Add(distance);
            }
        }

        Assert.Equal(reference.Faces.Count, distances.Count);
        output.WriteLine($"{distances.Count} faces: mean distance {distances.Average():0.000}, largest {distances.Max():0.000}");
    }

    /// <summary>The angle of the line from the centre of 68-point eye 36..41 to that of eye 42..47.</summary>
    private static double RollDegrees(float[][] landmarks68)
    {
        static (double X, double Y) Centre(float[][] points) => (points.Average(p => p[0]), points.Average(p => p[1]));
        var (leftX, leftY) = Centre(landmarks68[36..42]);
        var (rightX, rightY) = Centre(landmarks68[42..48]);
        return Math.Atan2(rightY - leftY, rightX - leftX) * 180 / Math.PI;
    }

    private static double CentreDistance(float[] referenceBox, FaceBox box)
    {
        double dx = (referenceBox[0] + (referenceBox[2] / 2)) - (box.X + (box.Width / 2));
        double dy = (referenceBox[1] + (referenceBox[3] / 2)) - (box.Y + (box.Height / 2));
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}
