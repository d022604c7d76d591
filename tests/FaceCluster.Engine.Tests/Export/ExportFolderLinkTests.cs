using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>The export's symbolic link policy: the output folder may be a link to a real folder; a link inside the
/// export (a person folder, a file where the export expects its own) is never followed to move, remove or write
/// anything, and is left as it is. Symbolic links need no privilege on Linux and macOS (where CI runs these).</summary>
public sealed class ExportFolderLinkTests : TempDirectoryTest
{
    private readonly string _sources;
    private readonly string[] _photos;
    private readonly string _output;

    public ExportFolderLinkTests()
    {
        _sources = Temp.Combine("src");
        _photos = [TestJpeg.WritePhoto(Temp.Combine("src", "a.jpg"), 1), TestJpeg.WritePhoto(Temp.Combine("src", "b.jpg"), 2)];
        _output = Temp.Combine("out");
    }

    private FaceGroup[] Groups(string label = "cluster_0") =>
        [new FaceGroup { Id = 0, Label = label, Members = Cluster(0, Face(_photos[0]), Face(_photos[1])).Members, Representative = Face(_photos[0]) }];

    private string Out(params string[] parts) => Path.Combine([_output, .. parts]);

    [Fact]
    public void The_output_folder_may_be_a_link_to_a_real_folder()
    {
        var real = Temp.Combine("real");
        Directory.CreateDirectory(real);
        Directory.CreateSymbolicLink(_output, real);

        var first = PlanRunner.Run(ExportPlanner.Plan(Groups(), _output, ExportMode.Copy));

        Assert.All(first, r => Assert.True(r.Succeeded, r.Message));
        Assert.True(File.Exists(Path.Combine(real, "cluster_0", "a.jpg")));
        Assert.True(FaceManifest.Read(Path.Combine(real, FaceManifest.FileName)).Complete);
        PlanRunner.AssertAll(PlanRunner.Run(ExportPlanner.Plan(Groups(), _output, ExportMode.Copy)), ExportOutcome.AlreadyDone);
        var synced = PlanRunner.Run(ExportPlanner.Plan(Groups("Alice"), _output, ExportMode.Copy) with { Sync = true });
        Assert.All(synced, r => Assert.True(r.Succeeded, r.Message));
        Assert.True(File.Exists(Path.Combine(real, "Alice", "a.jpg")));
        Assert.Equal(real, new DirectoryInfo(_output).LinkTarget);
    }

    [Fact]
    public void A_dangling_output_link_is_refused_with_nothing_written()
    {
        var gone = Temp.Combine("gone");
        Directory.CreateSymbolicLink(_output, gone);

        Assert.Throws<IOException>(() => PlanRunner.Run(ExportPlanner.Plan(Groups(), _output, ExportMode.Copy)));

        Assert.False(Path.Exists(gone));
        Assert.Equal(gone, new DirectoryInfo(_output).LinkTarget);
    }

    [Theory]
    [InlineData(ExportMode.Copy)]
    [InlineData(ExportMode.HardLink)]
    [InlineData(ExportMode.SymbolicLink)]
    public void A_person_folder_replaced_by_a_link_to_a_source_folder_is_left_alone_by_a_rename_and_sync(ExportMode mode)
    {
        // The case: the user replaced a person folder by a link to the photos' own folder, then named the
        // person; the sync moved the original photos out of the library.
        PlanRunner.Run(ExportPlanner.Plan(Groups(), _output, mode));
        Directory.Delete(Out("cluster_0"), recursive: true);
        Directory.CreateSymbolicLink(Out("cluster_0"), _sources);
        var sources = FolderSnapshot.Of(_sources);

        using var session = ExportSession.Start(ExportPlanner.Plan(Groups("Alice"), _output, mode) with { Sync = true }, force: false);
        var results = session.Run().ToArray();

        var note = Assert.Single(session.Plan.Notes);
        Assert.Equal((ExportSyncNoteKind.LinkLeftAlone, Out("cluster_0")), (note.Kind, note.Path));
        Assert.DoesNotContain(results, r => r.Action.Destination.StartsWith(Out("cluster_0"), StringComparison.Ordinal) && r.Outcome == ExportOutcome.Done);
        Assert.True(session.Summarize().Complete);
        Assert.Equal(sources, FolderSnapshot.Of(_sources));
        Assert.Equal(_sources, new DirectoryInfo(Out("cluster_0")).LinkTarget);
        Assert.True(File.Exists(Out("Alice", "a.jpg")));
        Assert.True(File.Exists(Out("Alice", "b.jpg")));
        Assert.DoesNotContain(results, r => r.Outcome is ExportOutcome.Failed);
        Assert.DoesNotContain(FaceManifest.Read(Out(FaceManifest.FileName)).OwnedFiles(), f => f.Destination.StartsWith("cluster_0/", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_is_written_into_a_person_folder_that_is_a_link()
    {
        var elsewhere = Temp.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        Directory.CreateDirectory(_output);
        Directory.CreateSymbolicLink(Out("cluster_0"), elsewhere);

        var results = PlanRunner.Run(ExportPlanner.Plan(Groups(), _output, ExportMode.Copy), force: true);

        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
        Assert.All(results.Where(r => r.Action.GroupLabel is not null), r => Assert.Equal(ExportOutcome.Conflict, r.Outcome));
        Assert.False(FaceManifest.Read(Out(FaceManifest.FileName)).Complete);
    }

    [Fact]
    public void A_copy_replaced_by_a_link_to_its_source_is_the_users_and_is_left_by_a_sync()
    {
        PlanRunner.Run(ExportPlanner.Plan(Groups(), _output, ExportMode.Copy));
        File.Delete(Out("cluster_0", "a.jpg"));
        File.CreateSymbolicLink(Out("cluster_0", "a.jpg"), _photos[0]);

        using var session = ExportSession.Start(ExportPlanner.Plan(Groups("Alice"), _output, ExportMode.Copy) with { Sync = true }, force: false);
        session.Run().ToArray();

        Assert.Contains(session.Plan.Notes, n => n.Kind == ExportSyncNoteKind.ModifiedByUser && n.Path == Out("cluster_0", "a.jpg"));
        Assert.Equal(_photos[0], new FileInfo(Out("cluster_0", "a.jpg")).LinkTarget);
        Assert.True(File.Exists(Out("Alice", "a.jpg")));
        Assert.Null(new FileInfo(Out("Alice", "a.jpg")).LinkTarget);
    }
}
