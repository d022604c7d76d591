using FaceCluster.Engine.Review;

namespace FaceCluster.Engine.Tests.Review;

public class PowerShellLiteralTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("a $b `c \"d\" [e]", "'a $b `c \"d\" [e]'")]
    [InlineData("curly \u2018x\u2019 \u201Ay\u201B", "'curly \u2018\u2018x\u2019\u2019 \u201A\u201Ay\u201B\u201B'")]
    [InlineData("", "''")]
    public void QuotesSoNothingExpandsOrEnds(string value, string expected) => Assert.Equal(expected, PowerShellLiteral.Quote(value));

    [Fact]
    public void TheApplyCommandQuotesTheFolderAndTheFile()
    {
        var commands = new ReviewCommands("/photos/it's here $x");
        Assert.Equal("Import-Module FaceCluster; Import-FaceClusterCorrection -LiteralPath '/photos/it''s here $x' -FilePath './a''b.json'",
            commands.Apply("a'b.json"));
    }
}
