using FaceCluster.Engine.Evaluation;

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
    public void Missing_root_throws() =>
        Assert.Throws<DirectoryNotFoundException>(() => GroundTruth.FromFolderTree("/nonexistent/" + Guid.NewGuid()));
}
