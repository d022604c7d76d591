using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Model;

namespace FaceCluster.Engine.Tests.Alignment;

public class SimilarityTransformTests
{
    private static readonly FacePoint[] Source = [new(10, 20), new(60, 18), new(35, 45), new(15, 70), new(58, 72)];

    [Theory]
    [InlineData(1.0, 0.0, 0.0, 0.0)]
    [InlineData(2.5, 0.3, 12.0, -7.0)]
    [InlineData(0.4, -2.0, -100.0, 55.5)]
    [InlineData(1.7, 3.0, 3.0, 4.0)]
    public void Estimate_recovers_a_known_scale_rotation_and_translation(double scale, double rotation, double tx, double ty)
    {
        var known = SimilarityTransform.FromScaleRotationTranslation(scale, rotation, tx, ty);
        var destination = Source.Select(known.Apply).ToArray();

        var estimated = SimilarityTransform.Estimate(Source, destination);

        Assert.Equal(known.A, estimated.A, 1e-4);
        Assert.Equal(known.B, estimated.B, 1e-4);
        Assert.Equal(known.Tx, estimated.Tx, 1e-3);
        Assert.Equal(known.Ty, estimated.Ty, 1e-3);
        Assert.Equal(scale, estimated.Scale, 1e-4);
        for (int i = 0; i < Source.Length; i++)
        {
            var mapped = estimated.Apply(Source[i]);
            Assert.Equal(destination[i].X, mapped.X, 1e-3);
            Assert.Equal(destination[i].Y, mapped.Y, 1e-3);
        }
    }

    [Fact]
    public void Estimate_maps_face_landmarks_onto_the_arcface_reference()
    {
        var t = SimilarityTransform.FromScaleRotationTranslation(0.3, -0.2, 400, 120).Invert();
        var landmarks = FaceAligner.Reference.Select(t.Apply).ToArray();

        var estimated = FaceAligner.EstimateTransform(landmarks);

        for (int i = 0; i < 5; i++)
        {
            var mapped = estimated.Apply(landmarks[i]);
            Assert.Equal(FaceAligner.Reference[i].X, mapped.X, 1e-3);
            Assert.Equal(FaceAligner.Reference[i].Y, mapped.Y, 1e-3);
        }
    }

    [Fact]
    public void Estimate_never_reflects_even_for_mirrored_points()
    {
        var mirrored = Source.Select(p => new FacePoint(-p.X, p.Y)).ToArray();

        var estimated = SimilarityTransform.Estimate(Source, mirrored);

        // A·A + B·B is the determinant of [[A, -B], [B, A]]: positive means a proper rotation, no reflection.
        Assert.True(estimated.A * estimated.A + estimated.B * estimated.B > 0);
        var residual = Source.Select((p, i) => Distance(estimated.Apply(p), mirrored[i])).Sum();
        Assert.True(residual > 1, "a similarity cannot fit a mirror image exactly");
    }

    [Fact]
    public void Invert_undoes_the_transform()
    {
        var t = SimilarityTransform.FromScaleRotationTranslation(1.3, 0.7, -5, 9);
        var back = t.Invert();
        foreach (var p in Source)
        {
            var q = back.Apply(t.Apply(p));
            Assert.Equal(p.X, q.X, 1e-3);
            Assert.Equal(p.Y, q.Y, 1e-3);
        }
    }

    [Fact]
    public void ToSKMatrix_maps_points_like_Apply()
    {
        var t = SimilarityTransform.FromScaleRotationTranslation(0.8, 1.1, 20, -3);
        var m = t.ToSKMatrix();
        foreach (var p in Source)
        {
            var viaMatrix = m.MapPoint(p.X, p.Y);
            var viaApply = t.Apply(p);
            Assert.Equal(viaApply.X, viaMatrix.X, 1e-3);
            Assert.Equal(viaApply.Y, viaMatrix.Y, 1e-3);
        }
    }

    private static double Distance(FacePoint a, FacePoint b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
