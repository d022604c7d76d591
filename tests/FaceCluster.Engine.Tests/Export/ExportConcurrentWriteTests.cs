using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>An export writes independent files a few at a time (<see cref="ExportRuns"/>, <see cref="ConcurrentWrites"/>):
/// its results still come in plan order, faces.json is marked complete only once every file it lists is in place, one
/// file's failure is reported with its path while the others are written, and a cancelled run leaves no write going
/// and a folder the rerun finishes.</summary>
public sealed class ExportConcurrentWriteTests : TempDirectoryTest
{
    private const int PhotoCount = 40;
    private readonly string _output;
    private readonly string[] _photos;

    public ExportConcurrentWriteTests()
    {
        _output = Temp.Combine("out");
        _photos = Enumerable.Range(0, PhotoCount).Select(i => TestJpeg.WritePhoto(Temp.Combine("src", $"p{i}.jpg"), i)).ToArray();
    }

    /// <summary>Four people of ten photos each.</summary>
    private ExportPlan Plan() => ExportPlanner.Plan(
        Enumerable.Range(0, 4).Select(c => Cluster(c, [.. _photos.Skip(c * 10).Take(10).Select(p => Face(p))])).ToArray(), _output, ExportMode.Copy);

    private static (ExportActionKind, string) Step(ExportAction action) => (action.Kind, action.Destination);

    /// <summary>Whether faces.json says the export is complete; if so, every file it lists is there under its final name.</summary>
    private bool CompleteManifestWithAllFiles(string when)
    {
        var path = Path.Combine(_output, FaceManifest.FileName);
        if (!File.Exists(path) || FaceManifestHeader.TryRead(path) is not { Complete: true })
            return false;
        var manifest = FaceManifest.Read(path);
        foreach (var file in manifest.OwnedFiles())
            Assert.True(File.Exists(Path.Combine(_output, file.Destination)), $"{when}: faces.json is complete but '{file.Destination}' is not there.");
        return true;
    }

    [Fact]
    public void Results_come_in_plan_order_and_faces_json_is_complete_only_after_every_file_it_lists()
    {
        var plan = Plan();
        var results = new List<ExportActionResult>();
        using (var session = ExportSession.Start(plan, force: false))
        {
            foreach (var result in session.Run())
            {
                var complete = CompleteManifestWithAllFiles($"after '{result.Action}'");
                Assert.Equal(result.Action.Kind == ExportActionKind.WriteManifest, complete);
                results.Add(result);
            }
        }

        PlanRunner.AssertAll(results, ExportOutcome.Done);
        Assert.Equal(plan.Actions.Select(Step), results.Select(r => Step(r.Action)));
        Assert.Equal(PhotoCount, Directory.EnumerateFiles(_output, "p*.jpg", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void Folders_and_faces_json_run_alone_and_no_run_touches_one_path_twice()
    {
        var plan = Plan();
        var copies = plan.Actions.Where(a => a.Kind == ExportActionKind.PlacePhotoCopy).ToArray();
        var again = copies[3] with { Source = _photos[^1] };
        var movedFrom = copies[6] with { Destination = copies[6].Destination + ".moved.jpg", Previous = copies[5].Destination };
        ExportAction[] actions = [.. plan.Actions.Take(2), copies[0], copies[1], .. copies[2..5], again, copies[6], movedFrom, copies[7], plan.Actions[^1]];

        var runs = ExportRuns.Split(actions).ToArray();

        Assert.Equal(actions, runs.SelectMany(r => r));
        Assert.All(runs.Where(r => r.Any(a => !ExportRuns.IsIndependent(a.Kind))), r => Assert.Single(r));
        Assert.All(runs.Select(r => r.SelectMany(a => a.Previous is null ? [a.Destination] : new[] { a.Destination, a.Previous }).ToArray()),
            paths => Assert.Equal(paths.Length, paths.Distinct().Count()));
        // create folder (actions[0]), start manifest, five copies up to the second to copies[3]'s path, which starts a
        // run; copies[6] and the move from copies[5]'s path stay in it; the final manifest alone.
        Assert.Equal([1, 1, 5, 4, 1], runs.Select(r => r.Count));
    }

    [Fact]
    public void A_failure_among_many_files_is_reported_with_its_path_the_others_are_written_and_the_rerun_finishes()
    {
        var plan = Plan();
        var lost = _photos[17];
        var bytes = File.ReadAllBytes(lost);
        var time = File.GetLastWriteTimeUtc(lost);
        File.Delete(lost);

        var results = PlanRunner.Run(plan);

        var failed = Assert.Single(results, r => r.Outcome == ExportOutcome.Failed);
        Assert.Equal(lost, failed.Action.Source);
        Assert.Contains(lost, failed.Message);
        Assert.All(results.Where(r => ExportRuns.IsIndependent(r.Action.Kind) && r != failed), r => Assert.True(File.Exists(r.Action.Destination), r.Message));
        Assert.Equal(ExportOutcome.Skipped, results[^1].Outcome);
        Assert.False(CompleteManifestWithAllFiles("after the failed run"));

        File.WriteAllBytes(lost, bytes);
        File.SetLastWriteTimeUtc(lost, time);
        var rerun = PlanRunner.Run(plan);

        Assert.All(rerun, r => Assert.True(r.Succeeded, r.Message));
        Assert.Equal(ExportOutcome.Done, Assert.Single(rerun, r => r.Action.Source == lost).Outcome);
        Assert.True(CompleteManifestWithAllFiles("after the rerun"));
    }

    [Fact]
    public void A_cancelled_run_stops_with_no_write_going_on_and_the_rerun_finishes()
    {
        var plan = Plan();
        using var cancellation = new CancellationTokenSource();
        var seen = 0;
        using (var session = ExportSession.Start(plan, force: false))
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (var _ in session.Run(cancellation.Token))
                {
                    if (++seen == 10) // inside the run of copies
                        cancellation.Cancel();
                }
            });
            // Run has returned: nothing of it is still writing, so the folder holds no temporary of ours now.
            Assert.Empty(Directory.EnumerateFiles(_output, AtomicFile.TempPrefix + "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }));
        }

        Assert.True(seen < plan.Actions.Count, "the run went on to the end");
        Assert.False(CompleteManifestWithAllFiles("after the cancelled run"));
        Assert.All(PlanRunner.Run(plan), r => Assert.True(r.Succeeded, r.Message));
        Assert.True(CompleteManifestWithAllFiles("after the rerun"));
    }
}
