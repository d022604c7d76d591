using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace FaceCluster.Engine.Tests.Dlib;

/// <summary>
/// The converted ONNX model must reproduce face-api's descriptors when fed exactly the chips face-api's
/// descriptor network received: Euclidean distance below 1e-3 for every face (dlib's same-person threshold is 0.6).
/// </summary>
public sealed class DlibChipParityTests(ITestOutputHelper output)
{
    private const double MaximumDistance = 1e-3;
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    [Fact]
    public void ConvertedModelReproducesFaceApiDescriptorsOnFaceApiChips()
    {
        DlibReferenceRun reference = DlibReferenceRun.Load(DlibTestArtifacts.ReferenceDirectory);
        Assert.Equal(22, reference.Faces.Count);
        using var session = new InferenceSession(DlibTestArtifacts.ModelPath);

        var distances = new List<(DlibReferenceFace Face, double Distance)>();
        foreach (DlibReferenceFace face in reference.Faces)
        {
            float[] descriptor = Describe(session, face.ReadChip(), reference.ChipSize);
            distances.Add((face, EuclideanDistance(descriptor, face.Descriptor)));
        }

        (DlibReferenceFace worst, double maximum) = distances.MaxBy(d => d.Distance);
        output.WriteLine($"{distances.Count} faces: largest distance {maximum:E3} ({worst.Photo} face {worst.Index}), mean {distances.Average(d => d.Distance):E3}");
        Assert.True(
            maximum < MaximumDistance,
            $"Largest descriptor distance {maximum:E3} ({worst.Photo} face {worst.Index}) is not below {MaximumDistance:E0}.");
    }

    /// <summary>face-api's normalisation, <c>(pixel - meanRgb) / 255</c>, HWC to NCHW.</summary>
    internal static float[] Describe(InferenceSession session, float[] chipHwc, int chipSize)
    {
        var input = new DenseTensor<float>([1, 3, chipSize, chipSize]);
        for (int y = 0; y < chipSize; y++)
        {
            for (int x = 0; x < chipSize; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    input[0, c, y, x] = (chipHwc[(((y * chipSize) + x) * 3) + c] - MeanRgb[c]) / 255f;
                }
            }
        }

        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        return results.Single().AsEnumerable<float>().ToArray();
    }

    internal static double EuclideanDistance(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }
}
