using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Model;

namespace FaceCluster.Engine.Tests.Alignment;

public class FivePointLandmarksTests
{
    [Fact]
    public void From68_takes_eye_means_nose_tip_and_outer_mouth_corners()
    {
        var points = Enumerable.Range(0, 68).Select(i => new FacePoint(i, 2 * i)).ToArray();

        var five = FivePointLandmarks.From68(points);

        Assert.Equal(new FacePoint(38.5f, 77f), five[0]);
        Assert.Equal(new FacePoint(44.5f, 89f), five[1]);
        Assert.Equal(points[30], five[2]);
        Assert.Equal(points[48], five[3]);
        Assert.Equal(points[54], five[4]);
    }

    [Fact]
    public void From68_rejects_other_counts() =>
        Assert.Throws<ArgumentException>(() => FivePointLandmarks.From68(new FacePoint[5]));
}
