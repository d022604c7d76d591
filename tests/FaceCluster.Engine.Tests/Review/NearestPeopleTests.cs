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

    [Fact]
    public void The_most_alike_person_holds_the_nearest_face_not_the_nearest_representative()
    {
        // Person 2's representative is nearer 1's than 0's, but its other face lies next to a face of person 0.
        var groups = new[]
        {
            Cluster(0, With(Face("/a1.jpg"), [1f, 0f, 0f]), With(Face("/a2.jpg"), [0.6f, 0.8f, 0f])),
            Cluster(1, With(Face("/b.jpg"), [0.6f, 0f, 0.8f])),
            Cluster(2, With(Face("/p1.jpg"), [0.8f, 0f, 0.6f]), With(Face("/p2.jpg"), [0.55f, 0.83f, 0f])),
        };
        var nearest = NearestPeople.Find(groups);
        Assert.Equal(0, nearest[2]);
        Assert.Equal(2, nearest[0]);
        Assert.Equal(2, nearest[1]);
    }
}
