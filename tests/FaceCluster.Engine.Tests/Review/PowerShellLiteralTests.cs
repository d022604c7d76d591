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
    public void CommandsQuoteEveryPathAndName()
    {
        var commands = new ReviewCommands("/photos/it's here");
        Assert.Equal("Rename-FaceCluster -LiteralPath '/photos/it''s here' -Id 3 -Name 'Type the name'", commands.Rename(3));
        Assert.Equal("Merge-FaceCluster -LiteralPath '/photos/it''s here' -Id 4 -Into 3", commands.Merge(4, 3));
        Assert.Equal("Remove-FaceClusterMember -LiteralPath '/photos/it''s here' -Id 3 -Photo '/in/$x''.jpg' -FaceIndex 2",
            commands.RemoveMember(3, "/in/$x'.jpg", 2));
    }
}
