using FaceCluster.Engine.Review;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Review;

public class NearestPeopleTests
{
    private static FaceEncoding With(FaceEncoding face, float[] vector, string model = "test-pack") => new()
    {
        Path = face.Path, FaceIndex = face.FaceIndex, Box = face.Box, Landmarks = face.Landmarks, Confidence = face.Confidence,
        Vector = vector, Model = model, ImageWidth = face.ImageWidth, ImageHeight = face.ImageHeight,
    };

    [Fact]
    public void EachPersonGetsTheMostAlikeOtherPersonOfItsPack()
    {
        var groups = new[]
        {
            Cluster(0, With(Face("/a.jpg"), [1f, 0f, 0f])),
            Cluster(1, With(Face("/b.jpg"), [0.9f, 0.1f, 0f])),
            Cluster(2, With(Face("/c.jpg"), [0.5f, 0.5f, 0.7f])),
            Cluster(3, With(Face("/d.jpg"), [1f, 0f, 0f], model: "other")),
            Doubtful(With(Face("/e.jpg"), [1f, 0f, 0f])),
        };
        var nearest = NearestPeople.Find(groups);
        Assert.Equal(0, nearest[1]);
        Assert.Equal(1, nearest[0]);
        Assert.Equal(1, nearest[2]);
        Assert.False(nearest.ContainsKey(3));
        Assert.False(nearest.ContainsKey(-1));
    }
}
