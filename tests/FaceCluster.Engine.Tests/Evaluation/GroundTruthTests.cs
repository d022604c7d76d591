using System.Runtime.InteropServices;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.Tests.Evaluation;

public class GroundTruthTests
{
    [Fact]
    public void Folder_per_person_maps_full_paths_to_the_folder_under_root()
    {
        string root = Directory.CreateTempSubdirectory("gt").FullName;
        try
        {
            foreach (string f in new[] { "alice/a.jpg", "alice/2019/b.jpg", "bob/c.jpg", "root.jpg", ".cache/x.jpg", "bob/.thumbs/t.jpg" })
            {
                string path = Path.Combine(root, f);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, "");
            }

            GroundTruth gt = GroundTruth.FromFolderTree(root);
            Assert.Equal(3, gt.IdentityByPath.Count);
            Assert.Equal("alice", gt.IdentityByPath[Path.Combine(root, "alice", "2019", "b.jpg")]);
            Assert.Equal("bob", gt.IdentityByPath[Path.Combine(root, "bob", "c.jpg")]);
            Assert.Equal(["alice", "bob"], gt.Identities);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void Where_paths_ignore_case_a_photo_spelled_another_way_has_its_identity()
    {
        string root = Directory.CreateTempSubdirectory("gt").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "alice"));
            File.WriteAllText(Path.Combine(root, "alice", "IMG_1.jpg"), "");

            GroundTruth windows = GroundTruth.FromFolderTree(root, StringComparer.FromComparison(PathComparison.For(OSPlatform.Windows)));
            GroundTruth linux = GroundTruth.FromFolderTree(root, StringComparer.FromComparison(PathComparison.For(OSPlatform.Linux)));

            string respelled = Path.Combine(root, "ALICE", "img_1.JPG");
            Assert.Equal("alice", windows.IdentityByPath[respelled]);
            Assert.False(linux.IdentityByPath.ContainsKey(respelled));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void Missing_root_throws() =>
        Assert.Throws<DirectoryNotFoundException>(() => GroundTruth.FromFolderTree("/nonexistent/" + Guid.NewGuid()));
}
