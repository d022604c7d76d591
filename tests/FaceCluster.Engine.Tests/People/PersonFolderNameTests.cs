using FaceCluster.Engine.People;

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
}
