using System.Text;
using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.People;

public class PersonFolderNameTests
{
    [Theory]
    [InlineData("Alice", "Alice")]
    [InlineData("  Alice Smith. ", "Alice Smith")]
    [InlineData("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j")]
    [InlineData("tab\there", "tab_here")]
    [InlineData("CON", "CON_")]
    [InlineData("lpt1.txt", "lpt1_.txt")]
    [InlineData(".hidden", "_hidden")]
    [InlineData("Zoë", "Zoë")]
    [InlineData("Zoe\u0308", "Zoë")]
    [InlineData("COM0", "COM0_")]
    [InlineData("lpt¹", "lpt¹_")]
    [InlineData("CONIN$", "CONIN$_")]
    [InlineData("nul .txt", "nul_ .txt")]
    public void Makes_a_name_a_folder_name_valid_everywhere(string name, string folder) => Assert.Equal(folder, PersonFolderName.From(name));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("...")]
    [InlineData("??")]
    public void A_name_with_nothing_usable_gives_null(string name) => Assert.Null(PersonFolderName.From(name));

    [Fact]
    public void Cuts_long_names()
    {
        Assert.Equal(100, PersonFolderName.From(new string('x', 300))!.Length);
    }

    [Fact]
    public void Clashes_get_a_number_whatever_the_case_and_unnamed_people_keep_their_folder()
    {
        var labels = PersonFolderName.Assign([(7, "alice"), (3, "Alice"), (5, null), (9, "cluster_5"), (2, "doubtful (possibly clustered)"), (4, "A/B"), (6, "A?B")]);
        Assert.Equal("Alice", labels[3]);
        Assert.Equal("alice (2)", labels[7]);
        Assert.Equal("cluster_5", labels[5]);
        Assert.Equal("cluster_5 (2)", labels[9]);
        Assert.Equal("doubtful (possibly clustered) (2)", labels[2]);
        Assert.Equal("A_B", labels[4]);
        Assert.Equal("A_B (2)", labels[6]);
    }

    [Fact]
    public void A_lone_surrogate_becomes_an_underscore()
    {
        Assert.Equal("a_b", PersonFolderName.From("a\uD800b"));
        Assert.Equal("a_b", PersonFolderName.From("a\uDC00b"));
    }

    [Theory]
    [InlineData("index.html")]
    [InlineData("INDEX.HTML")]
    [InlineData("review")]
    [InlineData("Review")]
    [InlineData("faces.json")]
    [InlineData("Corrections.json")]
    [InlineData("representative.jpg")]
    [InlineData(FaceGroup.DoubtfulLabel)]
    public void A_name_the_export_uses_for_its_own_files_gets_a_number(string name) =>
        Assert.Equal(name + " (2)", PersonFolderName.Assign([(1, name)])[1]);

    public static TheoryData<string> LongNames => new()
    {
        new string('x', 300),
        string.Concat(Enumerable.Repeat("漢", 90)),
        string.Concat(Enumerable.Repeat("😀", 70)),
        string.Concat(Enumerable.Repeat("x\u0301", 90)),
        string.Concat(Enumerable.Repeat("👨‍👩‍👧‍👦", 12)),
        "x" + string.Concat(Enumerable.Repeat("漢", 90)),
    };

    [Theory]
    [MemberData(nameof(LongNames))]
    public void Long_names_are_cut_to_whole_characters_within_255_bytes_and_255_units_even_with_a_number(string name)
    {
        var labels = PersonFolderName.Assign([(1, name), (2, name)]);

        Assert.EndsWith(" (2)", labels[2], StringComparison.Ordinal);
        foreach (string label in labels.Values)
        {
            Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(label), 1, 255);
            Assert.InRange(label.Length, 1, 255);
        }

        Assert.True(TextElements.IsWholePrefix(labels[1], name.Normalize(NormalizationForm.FormC)), labels[1]);
        Assert.True(TextElements.IsWholePrefix(labels[2][..^4], name.Normalize(NormalizationForm.FormC)), labels[2]);
    }
}
