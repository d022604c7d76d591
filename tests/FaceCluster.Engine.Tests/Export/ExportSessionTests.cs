using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>The folder rule: an export folder matches exactly one clustering (the one its faces.json describes) or is
/// visibly unfinished; anything else is refused with nothing written, and one export at a time holds the folder.</summary>
public sealed class ExportSessionTests : TempDirectoryTest
{
    private readonly string _output;
    private readonly string[] _photos;

    public ExportSessionTests()
    {
        _output = Temp.Combine("out");
        _photos = Enumerable.Range(0, 8).Select(i => TestJpeg.WritePhoto(Temp.Combine("src", $"p{i}.jpg"), i)).ToArray();
    }

    /// <summary>Three photos of one man (cluster_0), two of a woman (cluster_1).</summary>
    private FaceGroup[] First() =>
        [Cluster(0, Face(_photos[0]), Face(_photos[1]), Face(_photos[2])), Cluster(1, Face(_photos[3]), Face(_photos[4]))];

    /// <summary>The same people after three more photos of the woman: she is now the largest cluster, cluster_0.</summary>
    private FaceGroup[] Renumbered() =>
        [Cluster(0, Face(_photos[3]), Face(_photos[4]), Face(_photos[5]), Face(_photos[6]), Face(_photos[7])), Cluster(1, Face(_photos[0]), Face(_photos[1]), Face(_photos[2]))];

    private ExportPlan Plan(FaceGroup[] groups, ExportMode mode = ExportMode.Copy) => ExportPlanner.Plan(groups, _output, mode);

    private ExportRefusal Refusal(ExportPlan plan, bool force = false, TimeSpan? lockTimeout = null) =>
        Assert.Throws<ExportRefusedException>(() => ExportSession.Start(plan, force, lockTimeout).Dispose()).Reason;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_renumbered_clustering_into_an_earlier_export_is_refused_with_nothing_written(bool earlierFinished)
    {
        using (var earlier = ExportSession.Start(Plan(First()), force: false))
            _ = earlier.Run().Take(earlierFinished ? int.MaxValue : 5).ToArray();
        var before = FolderSnapshot.Of(_output);

        Assert.Equal(ExportRefusal.ClusteringMismatch, Refusal(Plan(Renumbered())));
        Assert.Equal(ExportRefusal.ClusteringMismatch, Refusal(Plan(Renumbered()), force: true));
        Assert.Equal(before, FolderSnapshot.Of(_output));
        // The first clustering is still accepted, and finishes the export.
        PlanRunner.Run(Plan(First())).ToList().ForEach(r => Assert.True(r.Succeeded, r.Message));
        Assert.True(FaceManifest.Read(Path.Combine(_output, FaceManifest.FileName)).Complete);
    }

    [Fact]
    public void The_same_clustering_in_another_order_is_the_same_clustering()
    {
        PlanRunner.Run(Plan(First()));
        FaceGroup[] reordered = [.. First().Reverse()];

        PlanRunner.AssertAll(PlanRunner.Run(Plan(reordered)).Where(r => r.Action.Kind != ExportActionKind.WriteManifest), ExportOutcome.AlreadyDone);
    }

    [Fact]
    public void Another_mode_into_an_earlier_export_is_refused_with_nothing_written()
    {
        PlanRunner.Run(Plan(First(), ExportMode.Copy));
        var before = FolderSnapshot.Of(_output);

        Assert.Equal(ExportRefusal.ModeMismatch, Refusal(Plan(First(), ExportMode.HardLink)));
        Assert.Equal(ExportRefusal.ModeMismatch, Refusal(Plan(First(), ExportMode.SymbolicLink), force: true));
        Assert.Equal(before, FolderSnapshot.Of(_output));
        Assert.Equal(ExportMode.Copy, FaceManifest.Read(Path.Combine(_output, FaceManifest.FileName)).Mode);
    }

    [Fact]
    public void An_empty_run_into_an_earlier_export_is_refused_with_nothing_written()
    {
        PlanRunner.Run(Plan(First()));
        var before = FolderSnapshot.Of(_output);

        Assert.Equal(ExportRefusal.NothingToExport, Refusal(Plan([])));
        Assert.Equal(ExportRefusal.NothingToExport, Refusal(Plan([]), force: true));
        Assert.Equal(before, FolderSnapshot.Of(_output));
    }

    [Fact]
    public void An_empty_run_into_a_new_folder_writes_an_empty_complete_manifest_and_can_be_rerun()
    {
        PlanRunner.AssertAll(PlanRunner.Run(Plan([])), ExportOutcome.Done);
        PlanRunner.AssertAll(PlanRunner.Run(Plan([])), ExportOutcome.AlreadyDone);

        var manifest = FaceManifest.Read(Path.Combine(_output, FaceManifest.FileName));
        Assert.True(manifest.Complete);
        Assert.Empty(manifest.Faces);
    }

    [Fact]
    public async Task A_second_export_waits_then_is_refused_as_locked_and_leaves_the_first_ones_temporaries_alone()
    {
        using var first = ExportSession.Start(Plan(First()), force: false);
        using var steps = first.Run().GetEnumerator();
        for (var i = 0; i < 4; i++)
            Assert.True(steps.MoveNext());
        // A temporary the first export is still writing.
        var live = Path.Combine(_output, "cluster_0", ".fc-tmp-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(live, new byte[10]);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        var second = Task.Run(() => Refusal(Plan(First()), lockTimeout: TimeSpan.FromMilliseconds(300)));

        Assert.Equal(ExportRefusal.Locked, await second);
        Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(300), $"gave up after {waited.Elapsed}");
        Assert.True(File.Exists(live));
    }

    [Fact]
    public async Task Two_exports_of_different_clusterings_into_one_new_folder_never_mix()
    {
        Task<ExportRefusal> second;
        using (var first = ExportSession.Start(Plan(First()), force: false))
        {
            using var steps = first.Run().GetEnumerator();
            Assert.True(steps.MoveNext());
            second = Task.Run(() => Refusal(Plan(Renumbered()), lockTimeout: TimeSpan.FromSeconds(30)));
            Thread.Sleep(200); // let the second one reach the lock; it cannot get past it before the first is disposed
            while (steps.MoveNext())
                Assert.True(steps.Current.Succeeded, steps.Current.Message);
        }

        Assert.Equal(ExportRefusal.ClusteringMismatch, await second);
        var manifest = FaceManifest.Read(Path.Combine(_output, FaceManifest.FileName));
        Assert.True(manifest.Complete);
        Assert.Equal(Plan(First()).Manifest.Fingerprint, manifest.Fingerprint);
    }

    [Fact]
    public void A_lock_file_and_stale_temporaries_alone_leave_a_folder_empty()
    {
        Directory.CreateDirectory(_output);
        File.WriteAllBytes(Path.Combine(_output, ExportLock.FileName), []);
        File.WriteAllBytes(Path.Combine(_output, ".fc-tmp-" + Guid.NewGuid().ToString("N")), new byte[3]);

        Assert.Equal(ExportTargetState.Empty, ExportTarget.Inspect(_output));
    }
}
