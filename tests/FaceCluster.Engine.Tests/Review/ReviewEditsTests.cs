using FaceCluster.Engine.Review;

namespace FaceCluster.Engine.Tests.Review;

public class ReviewEditsTests
{
    private const string Body = """{"tool":"FaceCluster","kind":"reviewEdits","schemaVersion":1,"export":"abc","folder":"/out","edits":[{"action":"merge","id":2,"into":1},{"action":"newPerson","faces":[{"photo":"/in/a.jpg","faceIndex":0}]}]}""";

    /// <summary>Seals a body as review.js does: the SHA-256 of everything before <c>,"seal":</c>.</summary>
    private static byte[] Sealed(string body)
    {
        var unsealed = body[..^1];
        return System.Text.Encoding.UTF8.GetBytes(unsealed + ",\"seal\":\"" + ReviewEdits.ExportKey(System.Text.Encoding.UTF8.GetBytes(unsealed)) + "\"}\n");
    }

    [Fact]
    public void ReadsASealedFile()
    {
        var edits = ReviewEdits.Read(Sealed(Body), "edits.json");
        Assert.Equal("abc", edits.Export);
        Assert.Equal([ReviewEditAction.Merge, ReviewEditAction.NewPerson], edits.Edits.Select(e => e.Action));
        Assert.Equal(new ReviewEditFace("/in/a.jpg", 0), edits.Edits[1].Faces![0]);
    }

    [Fact]
    public void RefusesAFileChangedSinceItWasSealed()
    {
        var bytes = Sealed(Body);
        var changed = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes).Replace("\"into\":1", "\"into\":3", StringComparison.Ordinal));
        Assert.Equal(ReviewEditsProblem.Tampered, Assert.Throws<ReviewEditsRejectedException>(() => ReviewEdits.Read(changed, "edits.json")).Problem);
        var unsealed = System.Text.Encoding.UTF8.GetBytes(Body);
        Assert.Throws<ReviewEditsRejectedException>(() => ReviewEdits.Read(unsealed, "edits.json"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"tool":"Other","kind":"reviewEdits","schemaVersion":1,"export":"abc","edits":[]}""")]
    [InlineData("""{"tool":"FaceCluster","kind":"reviewEdits","schemaVersion":2,"export":"abc","edits":[]}""")]
    [InlineData("""{"tool":"FaceCluster","kind":"reviewEdits","schemaVersion":1,"export":"abc","edits":[{"action":"explode","id":1}]}""")]
    [InlineData("""{"tool":"FaceCluster","kind":"reviewEdits","schemaVersion":1,"export":"abc","edits":[{"action":"merge","id":1}]}""")]
    [InlineData("""{"tool":"FaceCluster","kind":"reviewEdits","schemaVersion":1,"export":"abc","edits":[{"action":"hide","faces":[{"photo":"relative.jpg","faceIndex":0}]}]}""")]
    [InlineData("""{"tool":"FaceCluster","kind":"reviewEdits","schemaVersion":1,"export":"abc","edits":[],"extra":1}""")]
    public void RefusesAMalformedFileEvenSealed(string body)
    {
        var bytes = body.EndsWith('}') ? Sealed(body) : System.Text.Encoding.UTF8.GetBytes(body);
        var e = Assert.Throws<ReviewEditsRejectedException>(() => ReviewEdits.Read(bytes, "edits.json"));
        Assert.Equal(ReviewEditsProblem.Malformed, e.Problem);
        Assert.Contains("'edits.json'", e.Message, StringComparison.Ordinal);
    }
}
