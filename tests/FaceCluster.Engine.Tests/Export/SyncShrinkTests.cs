using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>
/// Export-FaceCluster -Sync refuses, writing nothing, a sync that would take more than a fifth of the export's photos
/// out of it, remove a named person, or leave no person at all (a half-mounted share, a renamed or unreadable folder),
/// unless the plan allows the shrink (-AllowShrink).
/// </summary>
public sealed class SyncShrinkTests : TempDirectoryTest
{
    private readonly string[] _photos;
    private readonly FaceGroup[] _before;

    public SyncShrinkTests()
    {
        // Ten photos: Alice in five, person 1 in four, one doubtful face.
        _photos = Enumerable.Range(0, 10).Select(i => TestJpeg.WritePhoto(Temp.Combine("src", $"IMG_{i}.jpg"), i)).ToArray();
        _before =
        [
            Named(Cluster(0, _photos[..5].Select(p => Face(p)).ToArray()), "Alice"),
            Cluster(1, _photos[5..9].Select(p => Face(p)).ToArray()),
            Doubtful(Face(_photos[9])),
        ];
    }

    private static FaceGroup Named(FaceGroup group, string name, params int[] mergedIds) => new()
    {
        Id = group.Id, Name = name, Label = name, Members = group.Members, Representative = group.Representative, MergedIds = mergedIds,
    };

    private static ExportPlan SyncPlan(IReadOnlyList<FaceGroup> groups, string output, bool allowShrink = false) =>
        ExportPlanner.Plan(groups, output, ExportMode.Copy) with { Sync = true, AllowShrink = allowShrink };

    private string Export()
    {
        var output = Temp.Combine("out");
        PlanRunner.AssertAll(PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy)), ExportOutcome.Done);
        return output;
    }

    /// <summary>The earlier groups without the photos <paramref name="gone"/> (the share that held them not mounted).</summary>
    private FaceGroup[] Without(params int[] gone)
    {
        var left = _photos.Where((_, i) => !gone.Contains(i)).ToHashSet();
        FaceEncoding[] Left(FaceGroup group) => group.Members.Select(m => m.Face).Where(f => left.Contains(f.Path)).ToArray();
        return _before.Select(g => g.IsDoubtful ? Doubtful(Left(g)) : g.Name is { } name ? Named(Cluster(g.Id, Left(g)), name) : Cluster(g.Id, Left(g)))
            .Where(g => g.Members.Count > 0).ToArray();
    }

    private static ExportShrink AssertRefused(ExportPlan plan)
    {
        var before = FolderSnapshot.Of(plan.OutputDirectory);
        var refused = Assert.Throws<ExportRefusedException>(() => ExportSession.Start(plan, force: false));
        Assert.Equal(ExportRefusal.WouldShrink, refused.Reason);
        Assert.Contains("-AllowShrink", refused.Message);
        Assert.Equal(before, FolderSnapshot.Of(plan.OutputDirectory));
        // A preview (what -WhatIf plans) is refused too.
        Assert.Equal(ExportRefusal.WouldShrink, Assert.Throws<ExportRefusedException>(() => SyncPlanner.Plan(plan)).Reason);
        return refused.Shrink!;
    }

    private string[] Reference(IReadOnlyList<FaceGroup> groups)
    {
        var reference = Temp.Combine("reference");
        PlanRunner.AssertAll(PlanRunner.Run(ExportPlanner.Plan(groups, reference, ExportMode.Copy)), ExportOutcome.Done);
        return FolderSnapshot.Of(reference);
    }

    [Fact]
    public void A_sync_that_would_take_more_than_a_fifth_of_the_photos_out_is_refused_and_writes_nothing()
    {
        var output = Export();
        var shrink = AssertRefused(SyncPlan(Without(6, 7, 8), output));
        Assert.Equal(10, shrink.Photos);
        Assert.Equal([_photos[6], _photos[7], _photos[8]], shrink.RemovedPhotos);
        Assert.Empty(shrink.RemovedNames);
        Assert.False(shrink.RemovesEveryPerson);

        // With the shrink allowed, the sync goes ahead and ends as a fresh export.
        using (var session = ExportSession.Start(SyncPlan(Without(6, 7, 8), output, allowShrink: true), force: false))
        {
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
            Assert.Equal(3, session.Summarize().Removed);
        }
        Assert.Equal(Reference(Without(6, 7, 8)), FolderSnapshot.Of(output));
    }

    [Fact]
    public void A_sync_that_takes_a_fifth_of_the_photos_out_goes_ahead()
    {
        var output = Export();
        using (var session = ExportSession.Start(SyncPlan(Without(7, 8), output), force: false))
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
        Assert.Equal(Reference(Without(7, 8)), FolderSnapshot.Of(output));
    }

    [Fact]
    public void The_half_mounted_library_of_one_readable_photo_is_refused()
    {
        var output = Export();
        var shrink = AssertRefused(SyncPlan([Doubtful(Face(_photos[0]))], output));
        Assert.Equal((10, 9), (shrink.Photos, shrink.RemovedPhotos.Count));
        Assert.Equal(["Alice"], shrink.RemovedNames);
        Assert.True(shrink.RemovesEveryPerson);
        Assert.Equal(2, shrink.People);
    }

    [Fact]
    public void A_sync_that_would_remove_a_named_person_is_refused_even_when_every_photo_stays()
    {
        var output = Export();
        // Alice's faces all doubtful: no photo leaves the export, but Alice would.
        FaceGroup[] withoutAlice = [_before[1], Doubtful([.. _photos[..5].Select(p => Face(p)), Face(_photos[9])])];
        var shrink = AssertRefused(SyncPlan(withoutAlice, output));
        Assert.Empty(shrink.RemovedPhotos);
        Assert.Equal(["Alice"], shrink.RemovedNames);
        Assert.Contains("'Alice'", shrink.ToString());

        // Merged into person 1 (Merge-FaceCluster), Alice is not lost.
        FaceGroup[] merged = [Named(Cluster(1, _photos[..9].Select(p => Face(p)).ToArray()), "Bob", 0), _before[2]];
        using (var session = ExportSession.Start(SyncPlan(merged, output), force: false))
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
    }

    [Fact]
    public void A_refusal_for_a_named_person_counts_the_exports_photos()
    {
        // The photos are counted only for a sync that takes something out; this one takes out a name, no photo.
        var output = Export();
        FaceGroup[] withoutAlice = [_before[1], Doubtful([.. _photos[..5].Select(p => Face(p)), Face(_photos[9])])];
        var shrink = AssertRefused(SyncPlan(withoutAlice, output));
        Assert.Equal((10, 2), (shrink.Photos, shrink.People));
    }

    [Fact]
    public void A_run_of_doubtful_faces_only_is_refused_even_when_every_photo_stays()
    {
        FaceGroup[] unnamed = [Cluster(0, _photos[..5].Select(p => Face(p)).ToArray()), _before[1], _before[2]];
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(unnamed, output, ExportMode.Copy));
        var shrink = AssertRefused(SyncPlan([Doubtful(_photos.Select(p => Face(p)).ToArray())], output));
        Assert.Equal((0, 0, true), (shrink.RemovedPhotos.Count, shrink.RemovedNames.Count, shrink.RemovesEveryPerson));
    }

    [Theory]
    [InlineData(ExportMode.Copy)]
    [InlineData(ExportMode.HardLink)]
    [InlineData(ExportMode.SymbolicLink)]
    public void Photos_moved_in_the_library_do_not_count_as_leaving(ExportMode mode)
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(_before, output, mode));
        // The whole library moved into another folder: every photo has a new path, none leaves the export.
        var moved = _photos.Select(p => Path.Combine(Temp.Combine("moved"), Path.GetFileName(p))).ToArray();
        Directory.Move(Temp.Combine("src"), Temp.Combine("moved"));
        var map = _photos.Zip(moved).ToDictionary(pair => pair.First, pair => pair.Second);
        FaceEncoding Moved(ClusterMember m) => Face(map[m.Face.Path]);
        FaceGroup[] after =
        [
            Named(Cluster(0, _before[0].Members.Select(Moved).ToArray()), "Alice"),
            Cluster(1, _before[1].Members.Select(Moved).ToArray()),
            Doubtful(_before[2].Members.Select(Moved).ToArray()),
        ];
        using (var session = ExportSession.Start(ExportPlanner.Plan(after, output, mode) with { Sync = true }, force: false))
        {
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
            if (mode != ExportMode.SymbolicLink) // a link to a moved photo is made again
                Assert.Equal(0, session.Summarize().Removed);
        }
        var reference = Temp.Combine("reference");
        PlanRunner.Run(ExportPlanner.Plan(after, reference, mode));
        Assert.Equal(FolderSnapshot.Of(reference), FolderSnapshot.Of(output));
    }

    [Fact]
    public void A_shrink_killed_at_any_step_is_finished_only_with_the_shrink_allowed()
    {
        var shrunk = Without(5, 6, 7, 8);
        var expected = Reference(shrunk);
        int steps;
        using (var count = ExportSession.Start(SyncPlan(shrunk, Export(), allowShrink: true), force: false))
            steps = count.Plan.Actions.Count;
        var removed = _photos[5..9].Select(p => Path.Combine("cluster_1", Path.GetFileName(p))).ToArray();
        for (var killedAfter = 1; killedAfter < steps; killedAfter++)
        {
            var output = Temp.Combine($"killed-{killedAfter}");
            PlanRunner.Run(ExportPlanner.Plan(_before, output, ExportMode.Copy));
            using (var killed = ExportSession.Start(SyncPlan(shrunk, output, allowShrink: true), force: false))
                Assert.All(killed.Run().Take(killedAfter), r => Assert.True(r.Succeeded, r.Message));
            // The half-written temporary a kill inside a step leaves: a refusal leaves it too (it writes nothing).
            File.WriteAllBytes(Path.Combine(output, ".fc-tmp-" + Guid.NewGuid().ToString("N")), [1, 2, 3]);

            // The nightly command, without the switch: refused while the photos it would still remove are more than a
            // fifth of those now in the export (Alice's five, the doubtful one, and these).
            var left = removed.Count(file => File.Exists(Path.Combine(output, file)));
            if (left > (6 + left) * ExportShrink.MaxRemovedShare)
                AssertRefused(SyncPlan(shrunk, output));
            using (var again = ExportSession.Start(SyncPlan(shrunk, output, allowShrink: true), force: false))
                Assert.All(again.Run(), r => Assert.True(r.Succeeded, $"killed after {killedAfter}: {r.Message}"));
            Assert.True(expected.SequenceEqual(FolderSnapshot.Of(output)), $"killed after step {killedAfter} of {steps}: another folder.");
        }
    }
}
