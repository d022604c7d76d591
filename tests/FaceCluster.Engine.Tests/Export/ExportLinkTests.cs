using System.Security.Cryptography;
using FaceCluster.Engine.Export;
using static FaceCluster.Engine.Tests.Export.TestFaces;

using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>Hard and symbolic link placement. Symbolic links need no privilege on Linux and macOS (where CI runs these).</summary>
public sealed class ExportLinkTests : TempDirectoryTest
{
    private readonly string _source;
    private readonly string _output;

    public ExportLinkTests()
    {
        _source = TestJpeg.WritePhoto(Temp.Combine("src", "photo.jpg"), 5);
        _output = Temp.Combine("out");
    }

    private ExportPlan Plan(ExportMode mode, string? output = null) => ExportPlanner.Plan([Cluster(0, Face(_source))], output ?? _output, mode);

    private string Placed => Path.Combine(_output, "cluster_0", "photo.jpg");

    [Fact]
    public void Hard_link_names_the_same_file_as_the_source()
    {
        var sourceBytes = File.ReadAllBytes(_source);

        PlanRunner.AssertAll(PlanRunner.Run(Plan(ExportMode.HardLink)), ExportOutcome.Done);

        Assert.Null(new FileInfo(Placed).LinkTarget);
        Assert.Equal(sourceBytes, File.ReadAllBytes(_source));
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
            Assert.Equal(FileIdentity.TryGet(_source)!.Value, FileIdentity.TryGet(Placed)!.Value);
        // Independent proof, without our own inode code: rewriting the file through one name changes what the other reads.
        File.WriteAllText(Placed, "written through the link");
        Assert.Equal("written through the link", File.ReadAllText(_source));
    }

    [Fact]
    public void Hard_link_rerun_is_already_done_but_a_separate_copy_is_a_conflict()
    {
        PlanRunner.Run(Plan(ExportMode.HardLink));
        PlanRunner.AssertAll(PlanRunner.Run(Plan(ExportMode.HardLink)), ExportOutcome.AlreadyDone);

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
            return; // elsewhere identity falls back to content, which a byte-identical copy shares
        File.Delete(Placed);
        File.Copy(_source, Placed);
        var result = PlanRunner.Run(Plan(ExportMode.HardLink)).Single(r => r.Action.Kind == ExportActionKind.PlacePhotoHardLink);
        Assert.Equal(ExportOutcome.Conflict, result.Outcome);
    }

    [Fact]
    public void Hard_link_across_volumes_fails_that_item_with_a_clear_message()
    {
        // /dev/shm is a separate tmpfs on most Linux systems; where it is not, there is no second volume to try.
        const string otherVolume = "/dev/shm";
        if (!OperatingSystem.IsLinux() || !Directory.Exists(otherVolume))
            return;
        var foreign = Path.Combine(otherVolume, "fc-export-test-" + Guid.NewGuid().ToString("N") + ".jpg");
        File.Copy(_source, foreign);
        try
        {
            Directory.CreateDirectory(_output);
            if (FileIdentity.TryGet(foreign)!.Value.Device == FileIdentity.TryGet(_output)!.Value.Device)
                return;
            var action = ExportPlanner.Plan([Cluster(0, Face(foreign))], _output, ExportMode.HardLink).Actions
                .Single(a => a.Kind == ExportActionKind.PlacePhotoHardLink);
            Directory.CreateDirectory(Path.GetDirectoryName(action.Destination)!);

            var result = ExportExecutor.Execute(action);

            Assert.Equal(ExportOutcome.Failed, result.Outcome);
            Assert.Contains("different volumes", result.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(action.Destination));
        }
        finally
        {
            File.Delete(foreign);
        }
    }

    [Fact]
    public void Symbolic_link_points_to_the_absolute_source_even_from_a_relative_output_path()
    {
        var relativeOutput = Path.GetRelativePath(Environment.CurrentDirectory, _output);

        PlanRunner.AssertAll(PlanRunner.Run(Plan(ExportMode.SymbolicLink, relativeOutput)), ExportOutcome.Done);

        var target = new FileInfo(Placed).LinkTarget;
        Assert.Equal(_source, target);
        Assert.True(Path.IsPathFullyQualified(target!));
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(_source)), SHA256.HashData(File.ReadAllBytes(Placed)));
        PlanRunner.AssertAll(PlanRunner.Run(Plan(ExportMode.SymbolicLink)), ExportOutcome.AlreadyDone);
    }

    [Fact]
    public void A_symbolic_link_to_somewhere_else_is_a_conflict_left_untouched()
    {
        var elsewhere = TestJpeg.WritePhoto(Temp.Combine("src", "elsewhere.jpg"), 6);
        Directory.CreateDirectory(Path.GetDirectoryName(Placed)!);
        File.CreateSymbolicLink(Placed, elsewhere);

        var result = PlanRunner.Run(Plan(ExportMode.SymbolicLink), force: true).Single(r => r.Action.Kind == ExportActionKind.PlacePhotoSymbolicLink);

        Assert.Equal(ExportOutcome.Conflict, result.Outcome);
        Assert.Equal(elsewhere, new FileInfo(Placed).LinkTarget);
    }

    [Fact]
    public void A_dangling_symbolic_link_is_seen_as_existing_and_is_a_conflict()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Placed)!);
        File.CreateSymbolicLink(Placed, Temp.Combine("gone.jpg"));

        var result = PlanRunner.Run(Plan(ExportMode.Copy), force: true).Single(r => r.Action.Kind == ExportActionKind.PlacePhotoCopy);

        Assert.Equal(ExportOutcome.Conflict, result.Outcome);
        Assert.Equal(Temp.Combine("gone.jpg"), new FileInfo(Placed).LinkTarget);
    }
}
