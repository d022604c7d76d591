using FaceCluster.Engine.People;

namespace FaceCluster.Engine.Tests.People;

/// <summary>A corrections.json edited by hand or damaged: every field missing, null, of the wrong type or out of range
/// is an <see cref="InvalidDataException"/> (the cmdlets' stable error ids) naming the file, the entry and the remedy,
/// never another exception.</summary>
public class DamagedCorrectionsTests
{
    private const string Head = "\"tool\": \"FaceCluster\", \"schemaVersion\": 1, \"nextPersonId\": 3";
    private const string Photo = "\"/photos/a.jpg\"";

    public static TheoryData<string, string> Damaged() => new()
    {
        { "{ " + Head + ", \"names\": [null] }", "\"names\" entry 0" },
        { "{ " + Head + ", \"names\": null }", "\"names\"" },
        { "{ " + Head + ", \"names\": 5 }", "\"names\"" },
        { "{ " + Head + ", \"names\": [{ \"id\": 1 }] }", "\"names\" entry 0" },
        { "{ " + Head + ", \"names\": [{ \"name\": \"Ann\" }] }", "\"names\" entry 0" },
        { "{ " + Head + ", \"names\": [{ \"id\": 1, \"name\": null }] }", "\"names\" entry 0" },
        { "{ " + Head + ", \"names\": [{ \"id\": 1, \"name\": \" \" }] }", "\"names\" entry 0" },
        { "{ " + Head + ", \"names\": [{ \"id\": -1, \"name\": \"Ann\" }] }", "\"names\" entry 0" },
        { "{ " + Head + ", \"names\": [{ \"id\": \"one\", \"name\": \"Ann\" }] }", "names" },
        { "{ " + Head + ", \"names\": [{ \"id\": 1.5, \"name\": \"Ann\" }] }", "names" },
        { "{ " + Head + ", \"names\": [{ \"id\": 1, \"name\": 7 }] }", "names" },
        { "{ " + Head + ", \"merges\": [null] }", "\"merges\" entry 0" },
        { "{ " + Head + ", \"merges\": [{ \"id\": 1, \"into\": -1 }] }", "\"merges\" entry 0" },
        { "{ " + Head + ", \"merges\": [{ \"id\": -2, \"into\": 1 }] }", "\"merges\" entry 0" },
        { "{ " + Head + ", \"merges\": [{ \"id\": 1, \"into\": 1 }] }", "\"merges\" entry 0" },
        { "{ " + Head + ", \"merges\": [{ \"id\": 1 }] }", "\"merges\" entry 0" },
        { "{ " + Head + ", \"merges\": [{ \"id\": 1, \"into\": 99999999999 }] }", "merges" },
        { "{ " + Head + ", \"removals\": [null] }", "\"removals\" entry 0" },
        { "{ " + Head + ", \"removals\": [{ \"id\": 1, \"path\": null, \"faceIndex\": 0 }] }", "\"removals\" entry 0" },
        { "{ " + Head + ", \"removals\": [{ \"id\": 1, \"path\": \"a.jpg\", \"faceIndex\": 0 }] }", "\"removals\" entry 0" },
        { "{ " + Head + ", \"removals\": [{ \"id\": 1, \"path\": " + Photo + ", \"faceIndex\": -1 }] }", "\"removals\" entry 0" },
        { "{ " + Head + ", \"removals\": [{ \"id\": 1, \"path\": " + Photo + " }] }", "\"removals\" entry 0" },
        { "{ " + Head + ", \"removals\": [{ \"id\": 1, \"path\": " + Photo + ", \"faceIndex\": 0, \"retired\": \"yes\" }] }", "removals" },
        { "{ " + Head + ", \"moves\": [null] }", "\"moves\" entry 0" },
        { "{ " + Head + ", \"moves\": [{ \"id\": 0, \"path\": " + Photo + ", \"faceIndex\": 0 }] }", "\"moves\" entry 0" },
        { "{ " + Head + ", \"moves\": [{ \"id\": 1, \"path\": " + Photo + ", \"faceIndex\": 0, \"into\": 1 }] }", "\"moves\" entry 0" },
        { "{ " + Head + ", \"moves\": [{ \"id\": -2, \"path\": " + Photo + ", \"faceIndex\": 0, \"into\": 1 }] }", "\"moves\" entry 0" },
        { "{ " + Head + ", \"moves\": [{ \"id\": 0, \"path\": \"a.jpg\", \"faceIndex\": 0, \"into\": 1 }] }", "\"moves\" entry 0" },
        { "{ " + Head + ", \"moves\": [{ \"id\": 0, \"path\": " + Photo + ", \"faceIndex\": 0, \"into\": 1, \"made\": \"yesterday\" }] }", "moves" },
        { "{ " + Head + ", \"hidden\": [null] }", "\"hidden\" entry 0" },
        { "{ " + Head + ", \"hidden\": [{ \"path\": " + Photo + " }] }", "\"hidden\" entry 0" },
        { "{ " + Head + ", \"hidden\": [{ \"path\": " + Photo + ", \"faceIndex\": -1 }] }", "\"hidden\" entry 0" },
        { "{ \"tool\": \"FaceCluster\", \"schemaVersion\": 1, \"nextPersonId\": -4 }", "\"nextPersonId\"" },
        { "{ \"tool\": \"FaceCluster\", \"schemaVersion\": 1, \"nextPersonId\": null }", "nextPersonId" },
        { "{ \"tool\": \"FaceCluster\", \"schemaVersion\": \"1\" }", "schemaVersion" },
        { "{ \"tool\": null }", "tool" },
        { "[]", "Array" },
        { "null", "Null" },
        { "", "corrections" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void A_damaged_corrections_file_is_invalid_data_naming_the_file_the_entry_and_the_remedy(string json, string entry)
    {
        using var temp = new TempDirectory();
        string path = temp.File(PersonCorrections.FileName);
        File.WriteAllText(path, json);

        var e = Assert.Throws<InvalidDataException>(() => PersonCorrections.Load(temp.FullPath));
        Assert.Contains(path, e.Message);
        Assert.Contains(entry, e.Message);
        Assert.Contains("run the command again", e.Message);
    }

    [Fact]
    public void A_sound_file_with_retired_corrections_round_trips()
    {
        using var temp = new TempDirectory();
        var corrections = PersonCorrections.Empty.WithName(1, "Ann").WithMerge(2, 1)
            .WithRemoval(new FaceRemovalCorrection(1, "/photos/a.jpg", 0) { Retired = true }) with { NextPersonId = 3 };
        corrections.Save(temp.FullPath);
        Assert.True(PersonCorrections.Load(temp.FullPath).SameAs(corrections));
        Assert.DoesNotContain("\"retired\": false", File.ReadAllText(temp.File(PersonCorrections.FileName)));
    }
}
