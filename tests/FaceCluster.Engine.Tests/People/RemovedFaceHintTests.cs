using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.People;

/// <summary>The nearest-person hint of a face the user took out of a person (a removal correction) on the next run.</summary>
public class RemovedFaceHintTests
{
    /// <summary>
    /// People of 8 faces each, clustered; face 3 of the first person taken out of it; then clustered again with that
    /// correction. Returns the first run's people and, of the rerun, the removed face's doubtful member.
    /// </summary>
    private static (IReadOnlyList<FaceGroup> Before, ClusterMember Removed) RemoveAFace(int people)
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(3, temp.FullPath);
        var faces = Enumerable.Range(0, people).SelectMany(_ => world.Faces(world.AddPerson(), 8)).ToList();
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(faces, PeopleWorld.Options());
        FaceGroup first = before.Single(g => g.Members.Any(m => m.Face == faces[0]));
        FaceEncoding face = first.Members[3].Face;
        var removal = PersonCorrections.Empty.WithRemoval(new FaceRemovalCorrection(first.Id, face.Path, face.FaceIndex));

        IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces, PeopleWorld.Options(PersonHistory.Resolve(world.Manifest(before), removal, [])));

        ClusterMember removed = Assert.Single(after.Single(g => g.IsDoubtful).Members);
        Assert.Same(face, removed.Face);
        return (before, removed);
    }

    [Fact]
    public void A_removed_face_is_not_shown_nearest_the_person_it_was_removed_from()
    {
        (IReadOnlyList<FaceGroup> before, ClusterMember removed) = RemoveAFace(2);

        // The face lies far nearer its first person than the other, but the user said it is not the first.
        Assert.Equal(before.Single(g => g.Members.All(m => m.Face != removed.Face)).Id, removed.NearestClusterId);
    }

    [Fact]
    public void A_face_removed_from_the_only_person_has_no_nearest_person()
    {
        (_, ClusterMember removed) = RemoveAFace(1);

        Assert.Null(removed.NearestClusterId);
        Assert.Null(removed.NearestClusterDistance);
    }
}
