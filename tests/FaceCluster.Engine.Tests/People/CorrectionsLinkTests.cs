using FaceCluster.Engine.People;

namespace FaceCluster.Engine.Tests.People;

/// <summary>The export's link policy for corrections.json: a link there is the user's. Saving corrections never
/// replaces it, nor writes through it to the file it points to; the writer gets an IOException (the cmdlets'
/// CorrectionsNotSaved) naming the link.</summary>
public class CorrectionsLinkTests
{
    private const string Corrections = "{ \"tool\": \"FaceCluster\", \"schemaVersion\": 1, \"nextPersonId\": 3, " +
        "\"names\": [{ \"id\": 1, \"name\": \"Ann\" }] }";

    [Fact]
    public void A_corrections_file_that_is_a_link_is_neither_replaced_nor_written_through()
    {
        using var temp = new TempDirectory();
        string export = Directory.CreateDirectory(temp.File("out")).FullName;
        string users = temp.File("my-notes.json");
        File.WriteAllText(users, Corrections);
        string link = Path.Combine(export, PersonCorrections.FileName);
        File.CreateSymbolicLink(link, users);

        var corrections = PersonCorrections.Load(export);
        var e = Assert.ThrowsAny<IOException>(() => corrections.Save(export));

        Assert.Contains(link, e.Message, StringComparison.Ordinal);
        Assert.Equal(users, new FileInfo(link).LinkTarget);
        Assert.Equal(Corrections, File.ReadAllText(users));
        Assert.Single(Directory.EnumerateFileSystemEntries(export));
    }
}
