using FaceCluster.Engine.Export;
using FaceCluster.Engine.FileSystem;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.FileSystem;

public class ExportFolderFinderTests
{
    internal static void WriteManifest(string folder, int faces)
    {
        Directory.CreateDirectory(folder);
        var members = Enumerable.Range(0, faces).Select(i => new ClusterMember(Face($"/photos/{i}.jpg"), FaceRole.Core)).ToArray();
        var group = new FaceGroup { Id = 0, Label = "cluster_0", Representative = members[0].Face, Members = members };
        ExportPlanner.Plan([group], folder, ExportMode.Copy).Manifest.Write(Path.Combine(folder, FaceManifest.FileName));
    }

    [Fact]
    public void A_file_at_any_depth_below_a_manifest_of_ours_is_in_that_export()
    {
        using var temp = new TempDirectory();
        string export = temp.File("photos/Sorted");
        WriteManifest(export, faces: 2000); // far more than the head that is read
        var finder = new ExportFolderFinder();

        Assert.Equal(export, finder.ExportFolderOf(Path.Combine(export, "cluster_0", "a.jpg")));
        Assert.Equal(export, finder.ExportFolderOf(Path.Combine(export, "representative.jpg")));
        Assert.Null(finder.ExportFolderOf(temp.File("photos/b.jpg")));
    }

    [Theory]
    [InlineData("{\"faces\":[]}")]
    [InlineData("{\"nested\":{\"tool\":\"FaceCluster\"}}")]
    [InlineData("{\"tool\":\"SomethingElse\"}")]
    [InlineData("not json at all")]
    [InlineData("")]
    public void A_faces_json_that_is_not_ours_is_no_export(string content)
    {
        using var temp = new TempDirectory();
        string folder = temp.File("other");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FaceManifest.FileName), content);

        Assert.False(ExportFolderFinder.HoldsManifest(folder));
        Assert.Null(new ExportFolderFinder().ExportFolderOf(Path.Combine(folder, "a.jpg")));
    }

    [Fact]
    public void Each_folder_is_probed_once()
    {
        using var temp = new TempDirectory();
        string export = temp.File("Sorted");
        WriteManifest(export, faces: 1);
        var finder = new ExportFolderFinder();
        Assert.Equal(export, finder.ExportFolderOf(Path.Combine(export, "x.jpg")));

        File.Delete(Path.Combine(export, FaceManifest.FileName));

        Assert.Equal(export, finder.ExportFolderOf(Path.Combine(export, "y.jpg")));
        Assert.Null(new ExportFolderFinder().ExportFolderOf(Path.Combine(export, "y.jpg")));
    }
}
