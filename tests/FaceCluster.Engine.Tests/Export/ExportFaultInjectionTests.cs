using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>
/// Kills an export after every step in turn (the session is dropped after K results, as a killed process drops its
/// lock; a seeded random folder also gets the half-written temporary a kill inside a step leaves), reruns the same
/// export without -Force, and checks that the folder is byte for byte the folder of an uninterrupted export.
/// </summary>
public sealed class ExportFaultInjectionTests : TempDirectoryTest
{
    private readonly FaceGroup[] _groups;

    public ExportFaultInjectionTests()
    {
        // Two sources named IMG_0.jpg in one group, so the " (2)" naming is interrupted too.
        string[] names = ["a/IMG_0.jpg", "b/IMG_0.jpg", "a/party.jpg", "b/IMG_3.jpg", "a/lonely.jpg"];
        var photos = names.Select((name, i) => TestJpeg.WritePhoto(Temp.Combine(["src", .. name.Split('/')]), i)).ToArray();
        _groups =
        [
            Cluster(0, Face(photos[0]), Face(photos[1]), Face(photos[2], 0), Face(photos[2], 1)),
            Cluster(1, Face(photos[3])),
            Doubtful(Face(photos[4]), Face(photos[2], 2)),
        ];
    }

    [Theory]
    [InlineData(ExportMode.Copy)]
    [InlineData(ExportMode.HardLink)]
    [InlineData(ExportMode.SymbolicLink)]
    public void A_rerun_after_a_kill_at_any_step_gives_the_folder_of_an_uninterrupted_export(ExportMode mode)
    {
        var reference = Temp.Combine("reference");
        var complete = PlanRunner.Run(ExportPlanner.Plan(_groups, reference, mode));
        PlanRunner.AssertAll(complete, ExportOutcome.Done);
        var expected = FolderSnapshot.Of(reference);
        var steps = complete.Count;
        Assert.Contains(ExportActionKind.StartManifest, complete.Select(r => r.Action.Kind));

        for (var killedAfter = 0; killedAfter < steps; killedAfter++)
        {
            var output = Temp.Combine($"killed-{mode}-{killedAfter}");
            var plan = ExportPlanner.Plan(_groups, output, mode);
            using (var killed = ExportSession.Start(plan, force: false))
                PlanRunner.AssertAll(killed.Run().Take(killedAfter).ToArray(), ExportOutcome.Done);
            var random = new Random(killedAfter * 3 + (int)mode);
            var folders = Directory.GetDirectories(output).Prepend(output).ToArray();
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(folders[random.Next(folders.Length)], ".fc-tmp-" + Guid.NewGuid().ToString("N")), bytes);

            using (var rerun = ExportSession.Start(plan, force: false))
                Assert.All(rerun.Run(), r => Assert.True(r.Succeeded, $"killed after {killedAfter}: {r.Message}"));

            Assert.True(expected.SequenceEqual(FolderSnapshot.Of(output)), $"killed after step {killedAfter} of {steps}: the rerun left another folder.");
        }
    }
}
