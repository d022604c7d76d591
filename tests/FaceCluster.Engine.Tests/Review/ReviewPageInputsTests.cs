using System.Security.Cryptography;
using System.Text;
using FaceCluster.Engine.Review;

namespace FaceCluster.Engine.Tests.Review;

public class ReviewPageInputsTests
{
    [Fact]
    public void TheFingerprintIsTheHashOfTheWholeTextEvenWhereAChunkEndsInsideACharacter()
    {
        // Many appends make many chunks; a pair of UTF-16 surrogates (one character) at every odd position puts
        // chunk ends between the two halves of a character somewhere.
        var text = new StringBuilder(16);
        for (var i = 0; i < 20_000; i++)
            ReviewPageInputs.Field(text, i % 3 == 0 ? null : $"{i} caf\u00e9 \U0001F600 /photos/IMG_{i}.jpg");
        var chunks = 0;
        foreach (var _ in text.GetChunks())
            chunks++;
        Assert.True(chunks > 10);

        var whole = Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
        Assert.Equal(whole, ReviewPageInputs.Of(text));
    }

    [Fact]
    public void AnEmptyTextHasTheHashOfNoBytes() =>
        Assert.Equal(Convert.ToBase64String(SHA256.HashData([])), ReviewPageInputs.Of(new StringBuilder()));
}
