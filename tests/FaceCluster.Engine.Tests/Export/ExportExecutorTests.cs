using System.Security.Cryptography;
using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

public sealed class ExportExecutorTests : TempDirectoryTest
{
    private readonly string _output;
    private readonly string[] _sources;
    private readonly FaceGroup[] _groups;

    public ExportExecutorTests()
    {
        _output = Temp.Combine("out");
        _sources =
        [
            TestJpeg.WritePhoto(Temp.Combine("src", "a", "IMG_0001.jpg"), 1),
            TestJpeg.WritePhoto(Temp.Combine("src", "b", "IMG_0001.jpg"), 2),
            TestJpeg.WritePhoto(Temp.Combine("src", "party.jpg"), 3),
            TestJpeg.WritePhoto(Temp.Combine("src", "lonely.jpg"), 4),
        ];
        // Make the sources' timestamps distinctive, so a copy that "touched" them would show.
        foreach (var source in _sources)
            File.SetLastWriteTimeUtc(source, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        _groups =
        [
            Cluster(0, Face(_sources[0]), Face(_sources[1]), Face(_sources[2], 0), Face(_sources[2], 2)),
            Cluster(1, Face(_sources[2], 1)),
            Doubtful(Face(_sources[3]), Face(_sources[2], 3)),
        ];
    }

    private ExportPlan Plan(ExportMode mode = ExportMode.Copy) => ExportPlanner.Plan(_groups, _output, mode);

    private string Out(params string[] parts) => Path.Combine([_output, .. parts]);

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private (string Hash, DateTime Time)[] SourceState() => _sources.Select(s => (Hash(s), File.GetLastWriteTimeUtc(s))).ToArray();

    private string[] Temporaries() =>
        Directory.Exists(_output)
            ? Directory.GetFiles(_output, ".fc-tmp-*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            : [];

    [Fact]
    public void Copy_export_writes_the_layout_byte_identical_and_leaves_sources_untouched()
    {
        var before = SourceState();

        var results = PlanRunner.Run(Plan());

        PlanRunner.AssertAll(results, ExportOutcome.Done);
        Assert.Equal(before, SourceState());
        Assert.All(_sources, s => Assert.True(File.Exists(s)));
        Assert.Equal(Hash(_sources[0]), Hash(Out("cluster_0", "IMG_0001.jpg")));
        Assert.Equal(Hash(_sources[1]), Hash(Out("cluster_0", "IMG_0001 (2).jpg")));
        Assert.Equal(Hash(_sources[2]), Hash(Out("cluster_0", "party.jpg")));
        Assert.Equal(Hash(_sources[2]), Hash(Out("cluster_1", "party.jpg")));
        Assert.Equal(Hash(_sources[3]), Hash(Out(FaceGroup.DoubtfulLabel, "lonely.jpg")));
        Assert.Equal(Hash(_sources[2]), Hash(Out(FaceGroup.DoubtfulLabel, "party.jpg")));
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Out("cluster_0", "party.jpg")));
        Assert.True(File.Exists(Out("cluster_0", "representative.jpg")));
        Assert.True(File.Exists(Out("cluster_1", "representative.jpg")));
        Assert.False(File.Exists(Out(FaceGroup.DoubtfulLabel, "representative.jpg")));
        Assert.Equal(["IMG_0001 (2).jpg", "IMG_0001.jpg", "party.jpg", "representative.jpg"],
            Directory.GetFiles(Out("cluster_0")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(7, FaceManifest.Read(Out("faces.json")).Faces.Count);
        Assert.Empty(Temporaries());
        Assert.Equal(ExportTargetState.PreviousExport, ExportTarget.Inspect(_output));
    }

    [Fact]
    public void Rerun_skips_everything_as_already_done()
    {
        PlanRunner.Run(Plan());
        var written = File.GetLastWriteTimeUtc(Out("faces.json"));

        var again = PlanRunner.Run(Plan());

        PlanRunner.AssertAll(again, ExportOutcome.AlreadyDone);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Out("faces.json")));
    }

    [Fact]
    public void An_existing_different_file_is_a_conflict_left_untouched_and_the_rest_goes_on()
    {
        Directory.CreateDirectory(Out("cluster_0"));
        File.WriteAllText(Out("cluster_0", "party.jpg"), "someone else's file");
        File.WriteAllBytes(Out("cluster_0", "IMG_0001.jpg"), File.ReadAllBytes(_sources[1])); // same name, other photo's bytes

        var results = PlanRunner.Run(Plan(), force: true);

        var conflicts = results.Where(r => r.Outcome == ExportOutcome.Conflict).Select(r => r.Action.Destination).Order(StringComparer.Ordinal);
        Assert.Equal([Out("cluster_0", "IMG_0001.jpg"), Out("cluster_0", "party.jpg")], conflicts);
        Assert.Equal("someone else's file", File.ReadAllText(Out("cluster_0", "party.jpg")));
        Assert.Equal(Hash(_sources[1]), Hash(Out("cluster_0", "IMG_0001.jpg")));
        Assert.All(results.Where(r => r.Outcome == ExportOutcome.Conflict), r => Assert.Contains("left untouched", r.Message, StringComparison.Ordinal));
        Assert.Equal(ExportOutcome.AlreadyDone, results[2].Outcome); // cluster_0 folder existed
        Assert.All(results.Skip(3).SkipLast(1).Where(r => r.Outcome != ExportOutcome.Conflict), r => Assert.Equal(ExportOutcome.Done, r.Outcome));
        Assert.Equal(ExportOutcome.Skipped, results[^1].Outcome);
        Assert.False(FaceManifest.Read(Out("faces.json")).Complete);
    }

    [Fact]
    public void An_interrupted_first_export_is_finished_by_the_same_export_without_force()
    {
        var plan = Plan();
        var half = plan.Actions.Count / 2;
        using (var killed = ExportSession.Start(plan, force: false))
            PlanRunner.AssertAll(killed.Run().Take(half).ToArray(), ExportOutcome.Done);
        // What a killed process leaves: half-written temporaries next to the files it was writing.
        File.WriteAllBytes(Out("cluster_0", ".fc-tmp-" + Guid.NewGuid().ToString("N")), new byte[123]);
        File.WriteAllBytes(Out(".fc-tmp-" + Guid.NewGuid().ToString("N")), new byte[7]);
        Assert.False(FaceManifest.Read(Out("faces.json")).Complete);
        Assert.Equal(ExportTargetState.PreviousExport, ExportTarget.Inspect(_output)); // visibly unfinished, no -Force needed

        using var rerun = ExportSession.Start(plan, force: false);
        var results = rerun.Run().ToArray();

        Assert.Equal(2, rerun.RemovedTemporaries);
        PlanRunner.AssertAll(results.Take(half), ExportOutcome.AlreadyDone);
        PlanRunner.AssertAll(results.Skip(half), ExportOutcome.Done);
        Assert.True(FaceManifest.Read(Out("faces.json")).Complete);
        Assert.Empty(Temporaries());
        Assert.Equal(Hash(_sources[3]), Hash(Out(FaceGroup.DoubtfulLabel, "lonely.jpg")));
    }

    [Fact]
    public void Cancellation_before_an_action_throws_and_writes_nothing()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var plan = Plan();
        Assert.Equal(ExportOutcome.Done, ExportExecutor.Execute(plan.Actions[0]).Outcome);

        Assert.ThrowsAny<OperationCanceledException>(() => ExportExecutor.Execute(plan.Actions[1], cts.Token));
        Assert.False(Directory.Exists(Out("cluster_0")));
    }

    [Fact]
    public void A_write_cancelled_midway_leaves_neither_the_final_file_nor_its_temporary()
    {
        Directory.CreateDirectory(_output);
        var destination = Out("big.jpg");

        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(destination, stream =>
        {
            stream.Write(new byte[100_000]);
            throw new OperationCanceledException();
        }, overwrite: false));

        Assert.Empty(Directory.GetFileSystemEntries(_output));
    }

    [Fact]
    public void A_missing_source_fails_that_item_only()
    {
        var plan = Plan();
        File.Delete(_sources[3]);

        var results = PlanRunner.Run(plan);

        var failed = Assert.Single(results, r => r.Outcome == ExportOutcome.Failed);
        Assert.Equal(_sources[3], failed.Action.Source);
        Assert.Contains("no longer exists", failed.Message, StringComparison.Ordinal);
        // Everything else is written, but faces.json stays marked incomplete: the folder lacks a photo it lists.
        Assert.Equal(ExportActionKind.WriteManifest, Assert.Single(results, r => r.Outcome == ExportOutcome.Skipped).Action.Kind);
        Assert.Equal(results.Count - 2, results.Count(r => r.Outcome == ExportOutcome.Done));
        Assert.False(FaceManifest.Read(Out("faces.json")).Complete);
    }

    [Fact]
    public void A_symbolic_link_where_a_copy_goes_is_a_conflict()
    {
        Directory.CreateDirectory(Out("cluster_1"));
        File.CreateSymbolicLink(Out("cluster_1", "party.jpg"), _sources[2]); // even to the right file: not a copy

        var results = PlanRunner.Run(Plan(), force: true);

        Assert.Equal(Out("cluster_1", "party.jpg"), Assert.Single(results, r => r.Outcome == ExportOutcome.Conflict).Action.Destination);
        Assert.Equal(_sources[2], new FileInfo(Out("cluster_1", "party.jpg")).LinkTarget);
    }

    [Fact]
    public void A_file_where_a_folder_goes_is_a_conflict()
    {
        Directory.CreateDirectory(_output);
        File.WriteAllText(Out("cluster_1"), "in the way");

        var results = PlanRunner.Run(Plan(), force: true);

        Assert.Equal(ExportOutcome.Conflict, results.Single(r => r.Action.Kind == ExportActionKind.CreateDirectory && r.Action.GroupLabel == "cluster_1").Outcome);
        Assert.All(results.Where(r => r.Action.GroupLabel == "cluster_1" && r.Action.Kind != ExportActionKind.CreateDirectory),
            r => Assert.Equal(ExportOutcome.Failed, r.Outcome));
        Assert.Equal("in the way", File.ReadAllText(Out("cluster_1")));
    }

    [Fact]
    public void A_foreign_faces_json_or_another_clustering_is_a_conflict_but_our_unfinished_one_is_replaced()
    {
        Directory.CreateDirectory(_output);
        File.WriteAllText(Out("faces.json"), """{"not":"ours"}""");
        var plan = Plan();
        var manifest = plan.Actions[^1];

        Assert.Equal(ExportOutcome.Conflict, ExportExecutor.Execute(plan.Actions[1]).Outcome);
        Assert.Equal(ExportOutcome.Conflict, ExportExecutor.Execute(manifest).Outcome);
        Assert.Equal("""{"not":"ours"}""", File.ReadAllText(Out("faces.json")));

        var another = ExportPlanner.Plan([_groups[1]], _output, ExportMode.Copy).Manifest;
        another.Write(Out("faces.json"));
        Assert.Equal(ExportOutcome.Conflict, ExportExecutor.Execute(plan.Actions[1]).Outcome);
        Assert.Equal(ExportOutcome.Conflict, ExportExecutor.Execute(manifest).Outcome);
        Assert.Equal(another.ToUtf8Bytes(), File.ReadAllBytes(Out("faces.json")));

        File.Delete(Out("faces.json"));
        Assert.Equal(ExportOutcome.Done, ExportExecutor.Execute(plan.Actions[1]).Outcome);
        Assert.False(FaceManifest.Read(Out("faces.json")).Complete);
        Assert.Equal(ExportOutcome.AlreadyDone, ExportExecutor.Execute(plan.Actions[1]).Outcome);
        Assert.Equal(ExportOutcome.Done, ExportExecutor.Execute(manifest).Outcome);
        Assert.Equal(manifest.Manifest!.ToUtf8Bytes(), File.ReadAllBytes(Out("faces.json")));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void The_final_faces_json_written_again_with_the_same_content_is_left_as_it_is()
    {
        var plan = Plan();
        PlanRunner.Run(plan);
        var manifest = plan.Actions[^1] with { Manifest = FaceManifest.Read(Out("faces.json")) }; // as the run wrote it, stamped
        var identity = FileIdentity.TryGet(Out("faces.json"));
        var written = File.GetLastWriteTimeUtc(Out("faces.json"));

        var again = ExportExecutor.Execute(manifest);

        Assert.Equal(ExportActionKind.WriteManifest, manifest.Kind);
        Assert.Equal(ExportOutcome.AlreadyDone, again.Outcome);
        Assert.Equal(identity, FileIdentity.TryGet(Out("faces.json"))); // not replaced by an identical copy
        Assert.Equal(written, File.GetLastWriteTimeUtc(Out("faces.json")));
        Assert.Equal(manifest.Manifest!.ToUtf8Bytes(), File.ReadAllBytes(Out("faces.json")));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void A_representative_that_can_no_longer_be_decoded_fails_that_item_only()
    {
        var plan = Plan();
        File.WriteAllText(_sources[0], "not a JPEG any more"); // the representative of cluster_0

        var results = PlanRunner.Run(plan);

        var failed = Assert.Single(results, r => r.Outcome == ExportOutcome.Failed);
        Assert.Equal(ExportActionKind.WriteRepresentative, failed.Action.Kind);
        Assert.Contains(_sources[0], failed.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Out("cluster_0", "representative.jpg")));
        Assert.True(File.Exists(Out("cluster_1", "representative.jpg")));
    }

    [Fact]
    public void An_existing_different_representative_is_a_conflict()
    {
        Directory.CreateDirectory(Out("cluster_0"));
        File.WriteAllText(Out("cluster_0", "representative.jpg"), "mine");

        var results = PlanRunner.Run(Plan(), force: true);

        Assert.Equal(ExportActionKind.WriteRepresentative, Assert.Single(results, r => r.Outcome == ExportOutcome.Conflict).Action.Kind);
        Assert.Equal("mine", File.ReadAllText(Out("cluster_0", "representative.jpg")));
    }

    [Fact]
    public void Stale_temporaries_in_the_review_folder_and_its_thumbnails_are_removed_by_the_next_run()
    {
        // A kill while the review page is written leaves temporaries two levels down, in review/thumbnails.
        PlanRunner.Run(Plan());
        Directory.CreateDirectory(Out("review", "thumbnails"));
        File.WriteAllBytes(Out("review", ".fc-tmp-" + Guid.NewGuid().ToString("N")), new byte[5]);
        File.WriteAllBytes(Out("review", "thumbnails", ".fc-tmp-" + Guid.NewGuid().ToString("N")), new byte[9]);

        using var rerun = ExportSession.Start(Plan(), force: false);

        Assert.Equal(2, rerun.RemovedTemporaries);
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void A_forced_export_into_a_folder_without_an_export_leaves_its_temporary_named_files_alone()
    {
        Directory.CreateDirectory(_output);
        var users = Out(".fc-tmp-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(users, new byte[3]);
        File.WriteAllText(Out("notes.txt"), "mine");

        using var session = ExportSession.Start(Plan(), force: true);

        Assert.Equal(0, session.RemovedTemporaries);
        Assert.True(File.Exists(users));
    }

    [Fact]
    public void Temporaries_behind_a_link_or_in_a_users_own_subfolder_are_not_the_exports()
    {
        PlanRunner.Run(Plan());
        var elsewhere = Temp.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var outside = Path.Combine(elsewhere, ".fc-tmp-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(outside, new byte[3]);
        Directory.CreateSymbolicLink(Out("linked"), elsewhere);
        Directory.CreateDirectory(Out("cluster_0", "mine"));
        var users = Out("cluster_0", "mine", ".fc-tmp-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(users, new byte[4]);

        Assert.Equal(0, ExportExecutor.CleanStaleTemporaries(_output));
        Assert.True(File.Exists(outside));
        Assert.True(File.Exists(users));
    }

    [Fact]
    public void Clean_stale_temporaries_touches_nothing_else_and_tolerates_a_missing_folder()
    {
        Assert.Equal(0, ExportExecutor.CleanStaleTemporaries(_output));
        PlanRunner.Run(Plan());
        var before = Directory.GetFiles(_output, "*", SearchOption.AllDirectories).Length;

        Assert.Equal(0, ExportExecutor.CleanStaleTemporaries(_output));
        Assert.Equal(before, Directory.GetFiles(_output, "*", SearchOption.AllDirectories).Length);
    }
}
