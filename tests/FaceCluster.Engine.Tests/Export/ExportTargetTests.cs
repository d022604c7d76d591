using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

public sealed class ExportTargetTests : TempDirectoryTest
{
    private static ExportPlan Plan(string output) => ExportPlanner.Plan([Cluster(0, Face("/photos/a.jpg"))], output, ExportMode.Copy);

    [Fact]
    public void Missing_and_empty_folders_are_safe()
    {
        Assert.Equal(ExportTargetState.Missing, ExportTarget.Check(Plan(Temp.Combine("new")), force: false));
        Directory.CreateDirectory(Temp.Combine("empty"));
        Assert.Equal(ExportTargetState.Empty, ExportTarget.Check(Plan(Temp.Combine("empty")), force: false));
    }

    [Fact]
    public void A_folder_left_with_only_its_corrections_is_empty()
    {
        var output = Temp.Combine("emptied");
        Directory.CreateDirectory(output);
        new FaceCluster.Engine.People.PersonCorrections().WithName(0, "Alice").Save(output);
        Assert.Equal(ExportTargetState.Empty, ExportTarget.Check(Plan(output), force: false));
    }

    [Fact]
    public void A_folder_holding_only_an_encoding_store_is_empty_even_while_the_store_is_open()
    {
        // The issue's nightly example keeps its store in the export folder: Get-FaceEncoding -Store D:\Sorted\faces.db
        // | ... | Export-FaceCluster -Path D:\Sorted -Sync. The store is open (its -wal and -shm beside it) while the
        // first export checks the folder.
        var output = Temp.Combine("sorted");
        Directory.CreateDirectory(output);
        using (var store = FaceCluster.Engine.Store.EncodingStore.Open(Path.Combine(output, "faces.db")))
        {
            Assert.Equal(ExportTargetState.Empty, ExportTarget.Check(Plan(output), force: false));
        }

        Assert.Equal(ExportTargetState.Empty, ExportTarget.Check(Plan(output), force: false));
    }

    [Fact]
    public void Another_sqlite_database_makes_a_folder_non_empty()
    {
        var output = Temp.Combine("other");
        Directory.CreateDirectory(output);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(output, "notes.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes (text TEXT)";
            command.ExecuteNonQuery();
        }

        Assert.Equal(ExportTargetState.NonEmpty, ExportTarget.Inspect(output));
    }

    [Fact]
    public void A_folder_with_our_manifest_is_a_previous_export()
    {
        var output = Temp.Combine("out");
        var plan = Plan(output);
        Directory.CreateDirectory(output);
        plan.Manifest.Write(plan.ManifestPath);

        Assert.Equal(ExportTargetState.PreviousExport, ExportTarget.Inspect(output));
        Assert.Equal(ExportTargetState.PreviousExport, ExportTarget.Check(plan, force: false));
    }

    [Fact]
    public void A_folder_with_other_content_or_a_foreign_faces_json_is_non_empty_and_needs_force()
    {
        var output = Temp.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, ".hidden"), "x");
        Assert.Equal(ExportTargetState.NonEmpty, ExportTarget.Inspect(output));
        File.WriteAllText(Path.Combine(output, "faces.json"), "[]");
        Assert.Equal(ExportTargetState.NonEmpty, ExportTarget.Inspect(output));

        var refused = Assert.Throws<ExportRefusedException>(() => ExportTarget.Check(Plan(output), force: false));
        Assert.Equal(ExportRefusal.OutputFolderNotEmpty, refused.Reason);
        Assert.Equal(output, refused.OutputDirectory);
        Assert.Equal(ExportTargetState.NonEmpty, ExportTarget.Check(Plan(output), force: true));
    }

    [Fact]
    public void A_file_is_not_a_directory()
    {
        File.WriteAllText(Temp.Combine("file"), "x");
        Assert.Equal(ExportTargetState.NotADirectory, ExportTarget.Inspect(Temp.Combine("file")));
    }
}
