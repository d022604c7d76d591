using FaceCluster.Engine.Export;
using static FaceCluster.Engine.Tests.Export.TestFaces;

using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Export;

public sealed class ExportTargetTests : TempDirectoryTest
{

    [Fact]
    public void Missing_and_empty_folders_are_safe()
    {
        Assert.Equal(ExportTargetState.Missing, ExportTarget.Inspect(Temp.Combine("new")));
        Directory.CreateDirectory(Temp.Combine("empty"));
        Assert.Equal(ExportTargetState.Empty, ExportTarget.Inspect(Temp.Combine("empty")));
        Assert.True(ExportTarget.IsSafeWithoutForce(ExportTargetState.Missing));
        Assert.True(ExportTarget.IsSafeWithoutForce(ExportTargetState.Empty));
    }

    [Fact]
    public void A_folder_with_our_manifest_is_a_previous_export()
    {
        var output = Temp.Combine("out");
        var plan = ExportPlanner.Plan([Cluster(0, Face("/photos/a.jpg"))], output, ExportMode.Copy);
        Directory.CreateDirectory(output);
        plan.Manifest.Write(plan.ManifestPath);

        Assert.Equal(ExportTargetState.PreviousExport, ExportTarget.Inspect(output));
        Assert.True(ExportTarget.IsSafeWithoutForce(ExportTargetState.PreviousExport));
    }

    [Fact]
    public void A_folder_with_other_content_or_a_foreign_faces_json_is_non_empty()
    {
        var output = Temp.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, ".hidden"), "x");
        Assert.Equal(ExportTargetState.NonEmpty, ExportTarget.Inspect(output));
        File.WriteAllText(Path.Combine(output, "faces.json"), "[]");
        Assert.Equal(ExportTargetState.NonEmpty, ExportTarget.Inspect(output));
        Assert.False(ExportTarget.IsSafeWithoutForce(ExportTargetState.NonEmpty));
    }

    [Fact]
    public void A_file_is_not_a_directory()
    {
        File.WriteAllText(Temp.Combine("file"), "x");
        Assert.Equal(ExportTargetState.NotADirectory, ExportTarget.Inspect(Temp.Combine("file")));
        Assert.False(ExportTarget.IsSafeWithoutForce(ExportTargetState.NotADirectory));
    }
}
