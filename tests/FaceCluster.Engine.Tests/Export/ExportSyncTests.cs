using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>
/// Export-FaceCluster -Sync: an earlier export brought up to date with another clustering ends as the folder a fresh
/// export of that clustering would be (plus the user's own files, untouched), also when killed at any step and rerun.
/// </summary>
public sealed class ExportSyncTests : TempDirectoryTest
{
    private readonly string[] _photos;
    private readonly FaceGroup[] _before;
    private readonly FaceGroup[] _after;

    public ExportSyncTests()
    {
        string[] names = ["a/IMG_0.jpg", "b/IMG_0.jpg", "a/party.jpg", "b/IMG_3.jpg", "a/lonely.jpg", "x/solo.jpg", "c/new.jpg", "0/IMG_0.jpg"];
        _photos = names.Select((name, i) => TestJpeg.WritePhoto(Temp.Combine(["src", .. name.Split('/')]), i)).ToArray();
        _before =
        [
            Cluster(0, Face(_photos[0]), Face(_photos[1]), Face(_photos[2], 0), Face(_photos[2], 1)),
            Cluster(1, Face(_photos[3])),
            Cluster(2, Face(_photos[5])),
            Doubtful(Face(_photos[4]), Face(_photos[2], 2)),
        ];
        // A new photo that takes IMG_0.jpg's name (the other two shift), a new photo and a doubtful one joining person 1
        // (whose representative changes), person 2 gone.
        _after =
        [
            Cluster(0, Face(_photos[0]), Face(_photos[1]), Face(_photos[2], 0), Face(_photos[2], 1), Face(_photos[7])),
            Cluster(1, Face(_photos[6]), Face(_photos[3]), Face(_photos[4])),
            Doubtful(Face(_photos[2], 2)),
        ];
    }

    private static ExportPlan SyncPlan(IReadOnlyList<FaceGroup> groups, string output, ExportMode mode) =>
        ExportPlanner.Plan(groups, output, mode) with { Sync = true };

    private string[] Reference(IReadOnlyList<FaceGroup> groups, ExportMode mode, string name)
    {
        var reference = Temp.Combine(name);
        PlanRunner.AssertAll(PlanRunner.Run(ExportPlanner.Plan(groups, reference, mode)), ExportOutcome.Done);
        return FolderSnapshot.Of(reference);
    }

    [Theory]
    [InlineData(ExportMode.Copy)]
    [InlineData(ExportMode.HardLink)]
    [InlineData(ExportMode.SymbolicLink)]
    public void A_sync_moves_adds_and_removes_only_what_changed_and_ends_as_a_fresh_export(ExportMode mode)
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, mode));
        var lonely = Path.Combine(output, FaceGroup.DoubtfulLabel, "lonely.jpg");
        var lonelyIdentity = FileIdentity.TryGet(lonely);
        var userFile = Path.Combine(output, "cluster_0", "notes.txt");
        File.WriteAllText(userFile, "mine");

        ExportSyncSummary summary;
        using (var session = ExportSession.Start(SyncPlan(_after, output, mode), force: false))
        {
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
            summary = session.Summarize();
        }

        Assert.Equal("mine", File.ReadAllText(userFile));
        File.Delete(userFile);
        Assert.Equal(Reference(_after, mode, "reference"), FolderSnapshot.Of(output));
        // lonely.jpg and b/IMG_0.jpg (renamed IMG_0 (3).jpg) moved; a/IMG_0.jpg could not move (its new name was taken
        // when planned), person 1's representative changed face, person 2's photo and representative went.
        Assert.Equal(2, summary.Moved);
        Assert.Equal(3, summary.Removed); // a/IMG_0.jpg's old file, person 2's photo and representative
        Assert.Equal(3, summary.Added); // 0/IMG_0, a/IMG_0, c/new
        Assert.Equal(1, summary.Updated); // person 1's representative
        Assert.Equal(4, summary.Kept); // party.jpg twice, b/IMG_3.jpg, person 0's representative
        Assert.Equal((0, 0, 0, true), (summary.LeftAlone, summary.DeletedByUser, summary.Failed, summary.Complete));
        Assert.Equal((2, 8), (summary.People, summary.Photos));
        if (mode != ExportMode.SymbolicLink && lonelyIdentity is not null)
            Assert.Equal(lonelyIdentity, FileIdentity.TryGet(Path.Combine(output, "cluster_1", "lonely.jpg")));
    }

    [Theory]
    [InlineData(ExportMode.Copy, "b/IMG_3 renamed.jpg", 1)]
    [InlineData(ExportMode.HardLink, "b/IMG_3 renamed.jpg", 1)]
    [InlineData(ExportMode.Copy, "c/IMG_3.jpg", 0)] // another folder, the same name: the same file in the export
    [InlineData(ExportMode.HardLink, "c/IMG_3.jpg", 0)]
    public void A_photo_renamed_or_moved_in_the_library_keeps_its_exported_file(ExportMode mode, string movedTo, int moved)
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, mode));
        var identity = FileIdentity.TryGet(Path.Combine(output, "cluster_1", "IMG_3.jpg"));
        Assert.NotNull(identity);
        var renamed = Temp.Combine(["src", .. movedTo.Split('/')]);
        File.Move(_photos[3], renamed);
        FaceGroup[] after = [_before[0], Cluster(1, Face(renamed)), _before[2], _before[3]];

        ExportSyncSummary summary;
        using (var session = ExportSession.Start(SyncPlan(after, output, mode), force: false))
        {
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
            summary = session.Summarize();
        }
        Assert.Equal((moved, 0, 0, 0, 10 - moved), (summary.Moved, summary.Added, summary.Removed, summary.Updated, summary.Kept));
        // The same file, renamed or left as it is, not a new copy.
        Assert.Equal(identity, FileIdentity.TryGet(Path.Combine(output, "cluster_1", Path.GetFileName(renamed))));
        Assert.Equal(Reference(after, mode, "reference"), FolderSnapshot.Of(output));
    }

    [Fact]
    public void A_copy_the_user_edited_keeping_its_size_and_time_is_left_when_its_source_goes()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        var edited = Path.Combine(output, "cluster_2", "solo.jpg"); // person 2 is gone in _after: would be removed
        var bytes = EditKeepingSizeAndTime(edited);
        File.Delete(_photos[5]);

        ExportSyncSummary summary;
        using (var session = ExportSession.Start(SyncPlan(_after, output, ExportMode.Copy), force: false))
        {
            Assert.Contains(session.Plan.Notes, n => n is { Kind: ExportSyncNoteKind.ModifiedByUser } && n.Path == edited);
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
            summary = session.Summarize();
        }
        Assert.Equal(bytes, File.ReadAllBytes(edited));
        Assert.Equal((1, true), (summary.LeftAlone, summary.Complete));
    }

    [Fact]
    public void A_copy_the_user_edited_keeping_its_size_and_time_is_not_replaced_when_its_source_changes()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        var edited = Path.Combine(output, "cluster_1", "IMG_3.jpg");
        var bytes = EditKeepingSizeAndTime(edited);
        File.AppendAllText(_photos[3], "edited in the library");

        using (var session = ExportSession.Start(SyncPlan(_before, output, ExportMode.Copy), force: false))
        {
            Assert.Contains(session.Plan.Notes, n => n is { Kind: ExportSyncNoteKind.ModifiedByUser } && n.Path == edited);
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
        }
        Assert.Equal(bytes, File.ReadAllBytes(edited));
    }

    [Fact]
    public void A_copy_the_user_edited_keeping_its_size_and_time_stays_the_users_through_later_syncs()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        var edited = Path.Combine(output, "cluster_1", "IMG_3.jpg");
        var bytes = EditKeepingSizeAndTime(edited);
        // Nothing changed in the library: the file is kept, and faces.json still records what the export wrote.
        using (var unchanged = ExportSession.Start(SyncPlan(_before, output, ExportMode.Copy), force: false))
        {
            Assert.All(unchanged.Run(), r => Assert.True(r.Succeeded, r.Message));
            Assert.Equal(10, unchanged.Summarize().Kept);
        }

        // Then its photo leaves the library.
        File.Delete(_photos[3]);
        FaceGroup[] after = [_before[0], _before[2], _before[3]];
        using (var session = ExportSession.Start(SyncPlan(after, output, ExportMode.Copy), force: false))
        {
            Assert.Contains(session.Plan.Notes, n => n is { Kind: ExportSyncNoteKind.ModifiedByUser } && n.Path == edited);
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
        }
        Assert.Equal(bytes, File.ReadAllBytes(edited));
    }

    /// <summary>Changes a byte of <paramref name="path"/> and puts its time back, as <c>exiftool -P</c> does.</summary>
    private static byte[] EditKeepingSizeAndTime(string path)
    {
        var time = File.GetLastWriteTimeUtc(path);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, time);
        return bytes;
    }

    [Fact]
    public void A_person_folder_the_user_renamed_is_the_exports_under_its_new_name()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        Directory.Move(Path.Combine(output, "cluster_1"), Path.Combine(output, "Bob"));
        // Person 1, now named after the folder, gains a photo that becomes the representative.
        var bob = Cluster(1, Face(_photos[6]), Face(_photos[3]));
        FaceGroup[] after = [_before[0], new FaceGroup { Id = 1, Label = "Bob", Members = bob.Members, Representative = bob.Representative }, _before[2], _before[3]];

        ExportSyncSummary summary;
        using (var session = ExportSession.Start(SyncPlan(after, output, ExportMode.Copy), force: false))
        {
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
            summary = session.Summarize();
        }
        Assert.Equal((1, 1, 0, 0), (summary.Added, summary.Updated, summary.Removed, summary.Failed));
        Assert.Equal(Reference(after, ExportMode.Copy, "reference"), FolderSnapshot.Of(output));

        // A photo the user then deletes from the renamed folder stays deleted.
        File.Delete(Path.Combine(output, "Bob", "IMG_3.jpg"));
        using (var next = ExportSession.Start(SyncPlan(after, output, ExportMode.Copy), force: false))
            Assert.Equal([ExportSyncNoteKind.DeletedByUser], next.Plan.Notes.Select(n => n.Kind));
    }

    [Fact]
    public void A_second_sync_of_the_same_clustering_keeps_every_file_and_writes_no_photo()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        using var session = ExportSession.Start(SyncPlan(_before, output, ExportMode.Copy), force: false);
        var kinds = session.Plan.Actions.Select(a => a.Kind).Distinct().ToArray();
        Assert.DoesNotContain(ExportActionKind.PlacePhotoCopy, kinds);
        Assert.DoesNotContain(ExportActionKind.RemoveFile, kinds);
        Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
        var summary = session.Summarize();
        Assert.Equal((0, 0, 0, 10), (summary.Added, summary.Moved, summary.Removed, summary.Kept));
    }

    [Fact]
    public void A_sync_keeps_a_file_only_while_it_and_its_source_are_as_recorded()
    {
        // What the planner answers from its folder listings alone: a file is kept unless it or its photo changed since.
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        var edited = Path.Combine(output, "cluster_0", "party.jpg");
        File.AppendAllText(edited, "edited");
        TestJpeg.WritePhoto(_photos[3], 99); // person 1's photo, edited in the library
        File.SetLastWriteTimeUtc(_photos[3], File.GetLastWriteTimeUtc(_photos[3]).AddMinutes(1));

        using var session = ExportSession.Start(SyncPlan(_before, output, ExportMode.Copy), force: false);
        Assert.Equal([edited], session.Plan.Notes.Where(n => n.Kind == ExportSyncNoteKind.ModifiedByUser).Select(n => n.Path));
        Assert.Equal([ExportActionKind.PlacePhotoCopy, ExportActionKind.WriteRepresentative],
            session.Plan.Actions.Where(a => a.Replaces is not null && a.Source == _photos[3]).Select(a => a.Kind));
        Assert.Equal(7, session.Plan.Kept); // of the ten files: not the edited copy, nor person 1's photo and crop
    }

    [Fact]
    public void A_representative_that_moves_to_a_face_with_the_same_crop_is_made_once_not_on_every_sync()
    {
        // Two copies of one photo (a duplicate in the library), the second with an older time: their crops are the
        // same bytes, so the crop already there is kept, and takes the time of its new photo.
        var first = TestJpeg.WritePhoto(Temp.Combine("dup", "first.jpg"), 3);
        var second = TestJpeg.WritePhoto(Temp.Combine("dup", "second.jpg"), 3);
        File.SetLastWriteTimeUtc(second, File.GetLastWriteTimeUtc(first).AddHours(-1));
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan([Cluster(0, Face(first), Face(second))], output, ExportMode.Copy));
        FaceGroup[] moved = [Cluster(0, Face(second), Face(first))];
        using (var session = ExportSession.Start(SyncPlan(moved, output, ExportMode.Copy), force: false))
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));

        using var next = ExportSession.Start(SyncPlan(moved, output, ExportMode.Copy), force: false);
        Assert.DoesNotContain(ExportActionKind.WriteRepresentative, next.Plan.Actions.Select(a => a.Kind));
        Assert.Equal(File.GetLastWriteTimeUtc(second), File.GetLastWriteTimeUtc(Path.Combine(output, "cluster_0", ExportPlanner.RepresentativeFileName)));
    }

    [Fact]
    public void A_kept_copy_the_user_changes_while_the_sync_runs_is_not_recorded_as_the_exports()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        var solo = Path.Combine(output, "cluster_2", "solo.jpg"); // kept now, removed by the next sync (person 2 goes)
        using (var session = ExportSession.Start(SyncPlan(_before, output, ExportMode.Copy), force: false))
        {
            File.AppendAllText(solo, "edited after the sync was planned");
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
        }

        using (var next = ExportSession.Start(SyncPlan(_after, output, ExportMode.Copy), force: false))
        {
            Assert.Contains(next.Plan.Notes, n => n is { Kind: ExportSyncNoteKind.ModifiedByUser } && n.Path == solo);
            Assert.All(next.Run(), r => Assert.True(r.Succeeded, r.Message));
        }
        Assert.EndsWith("edited after the sync was planned", File.ReadAllText(solo));
    }

    [Fact]
    public void A_sync_with_nothing_to_change_writes_faces_json_once_and_one_with_changes_marks_it_unfinished_first()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        var manifest = Path.Combine(output, FaceManifest.FileName);
        var written = File.GetLastWriteTimeUtc(manifest);
        File.SetLastWriteTimeUtc(manifest, written.AddHours(-1));
        using (var session = ExportSession.Start(SyncPlan(_before, output, ExportMode.Copy), force: false))
        {
            Assert.DoesNotContain(ExportActionKind.StartManifest, session.Plan.Actions.Select(a => a.Kind));
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
        }
        // The final faces.json holds the same bytes: it was not written at all.
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(manifest));

        using var changing = ExportSession.Start(SyncPlan(_after, output, ExportMode.Copy), force: false);
        Assert.Equal(ExportActionKind.StartManifest, changing.Plan.Actions[1].Kind);
        Assert.True(changing.Plan.Actions[1].Manifest!.Syncing);
    }

    [Fact]
    public void A_sync_leaves_a_file_the_user_changed_and_does_not_rewrite_a_photo_the_user_deleted()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        var changed = Path.Combine(output, "cluster_2", "solo.jpg"); // person 2 is gone: would be removed
        File.AppendAllText(changed, "edited");
        var deleted = Path.Combine(output, "cluster_0", "party.jpg"); // stays with person 0
        File.Delete(deleted);

        ExportSyncSummary summary;
        using (var session = ExportSession.Start(SyncPlan(_after, output, ExportMode.Copy), force: false))
        {
            Assert.Contains(session.Plan.Notes, n => n is { Kind: ExportSyncNoteKind.ModifiedByUser } && n.Path == changed);
            Assert.Contains(session.Plan.Notes, n => n is { Kind: ExportSyncNoteKind.DeletedByUser } && n.Path == deleted);
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
            summary = session.Summarize();
        }

        Assert.True(File.Exists(changed));
        Assert.EndsWith("edited", File.ReadAllText(changed));
        Assert.False(File.Exists(deleted));
        Assert.True(Directory.Exists(Path.Combine(output, "cluster_2"))); // it still holds the user's file
        Assert.Equal((1, 1, true), (summary.LeftAlone, summary.DeletedByUser, summary.Complete));

        // The next sync: the deletion still holds, and the changed file is no longer the export's.
        using (var next = ExportSession.Start(SyncPlan(_after, output, ExportMode.Copy), force: false))
        {
            Assert.Equal([ExportSyncNoteKind.DeletedByUser], next.Plan.Notes.Select(n => n.Kind));
            Assert.All(next.Run(), r => Assert.True(r.Succeeded, r.Message));
        }
        Assert.False(File.Exists(deleted));
        Assert.True(File.Exists(changed));
    }

    [Fact]
    public void A_photo_missing_from_an_unfinished_export_is_written()
    {
        var output = Temp.Combine("out");
        using (var killed = ExportSession.Start(ExportPlanner.Plan(_before, output, ExportMode.Copy), force: false))
            killed.Run().Take(6).ToArray(); // faces.json (incomplete) and a few folders and photos
        Assert.False(FaceManifestHeader.Read(Path.Combine(output, FaceManifest.FileName)).Complete);

        using (var session = ExportSession.Start(SyncPlan(_after, output, ExportMode.Copy), force: false))
        {
            Assert.Empty(session.Plan.Notes);
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
        }
        Assert.Equal(Reference(_after, ExportMode.Copy, "reference"), FolderSnapshot.Of(output));
    }

    [Fact]
    public void Only_a_sync_may_finish_an_unfinished_sync()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
        using (var killed = ExportSession.Start(SyncPlan(_after, output, ExportMode.Copy), force: false))
            killed.Run().Take(3).ToArray();
        var refused = Assert.Throws<ExportRefusedException>(() => ExportSession.Start(ExportPlanner.Plan(_after, output, ExportMode.Copy), force: false));
        Assert.Equal(ExportRefusal.SyncUnfinished, refused.Reason);
    }

    [Theory]
    [InlineData(ExportMode.Copy)]
    [InlineData(ExportMode.HardLink)]
    [InlineData(ExportMode.SymbolicLink)]
    public void A_sync_killed_at_any_step_and_rerun_gives_the_folder_of_an_uninterrupted_one(ExportMode mode)
    {
        var expectedAfter = Reference(_after, mode, "reference-after");
        var expectedBefore = Reference(_before, mode, "reference-before");
        var steps = SyncSteps(mode);
        for (var killedAfter = 1; killedAfter < steps; killedAfter++)
        {
            foreach (var (rerun, expected) in new[] { (_after, expectedAfter), (_before, expectedBefore) })
            {
                // The rerun is the same sync, or (the next night) another clustering: here, back to the earlier one.
                var output = Temp.Combine($"killed-{killedAfter}-{(rerun == _after ? "same" : "other")}");
                PlanRunner.Run(ExportPlanner.Plan(_before, output, mode));
                using (var killed = ExportSession.Start(SyncPlan(_after, output, mode), force: false))
                    Assert.All(killed.Run().Take(killedAfter), r => Assert.True(r.Succeeded, r.Message));
                File.WriteAllBytes(Path.Combine(output, "cluster_0", ".fc-tmp-" + Guid.NewGuid().ToString("N")), [1, 2, 3]);

                using (var again = ExportSession.Start(SyncPlan(rerun, output, mode), force: false))
                {
                    Assert.Empty(again.Plan.Notes);
                    Assert.All(again.Run(), r => Assert.True(r.Succeeded, $"killed after {killedAfter}: {r.Message}"));
                }
                Assert.True(expected.SequenceEqual(FolderSnapshot.Of(output)),
                    $"killed after step {killedAfter} of {steps}, rerun {(rerun == _after ? "the same sync" : "another clustering")}: another folder.");
            }
        }
    }

    private int SyncSteps(ExportMode mode)
    {
        var output = Temp.Combine($"count-{mode}");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, mode));
        using var session = ExportSession.Start(SyncPlan(_after, output, mode), force: false);
        return session.Plan.Actions.Count;
    }
}
