using System.Text;
using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.Tests.FileSystem;

public class PortableFileNameTests
{
    [Fact]
    public void A_single_character_longer_than_the_limit_is_cut_between_code_points()
    {
        string huge = "x" + new string('\u0301', 300) + "😀"; // one grapheme of 601 bytes, then an emoji
        string fitted = PortableFileName.Fit(huge, " (2)");

        Assert.EndsWith(" (2)", fitted, StringComparison.Ordinal);
        Assert.InRange(new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(fitted), 250, 255);
        Assert.StartsWith(fitted[..^4], huge, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_fits_is_left_as_it_is_and_a_cut_one_loses_trailing_dots_and_spaces()
    {
        Assert.Equal("a. .jpg", PortableFileName.Fit("a. ", ".jpg"));
        Assert.Equal(new string('a', 250) + " (2)", PortableFileName.Fit(new string('a', 250) + ". . b", " (2)"));
    }

    [Theory]
    [InlineData("café.jpg", "CAFE\u0301.JPG", true)]
    [InlineData("Ǆ", "ǆ", true)]
    [InlineData("a.jpg", "a.jpeg", false)]
    [InlineData("ß", "SS", false)]
    public void Names_are_compared_ignoring_case_and_normalisation(string x, string y, bool same)
    {
        Assert.Equal(same, PortableFileName.Comparer.Equals(x, y));
        if (same)
            Assert.Equal(PortableFileName.Comparer.GetHashCode(x), PortableFileName.Comparer.GetHashCode(y));
    }

    [Theory]
    [InlineData("CON", false)]
    [InlineData("con.tar.gz", false)]
    [InlineData("CON_", true)]
    [InlineData("a:b", false)]
    [InlineData("a.", false)]
    [InlineData("e\u0301", false)]
    [InlineData("é", true)]
    [InlineData("..", false)]
    public void Tells_a_name_valid_everywhere(string name, bool valid) => Assert.Equal(valid, PortableFileName.IsValid(name));
}
