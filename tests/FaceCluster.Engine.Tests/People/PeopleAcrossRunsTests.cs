using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.People;

public class PeopleAcrossRunsTests
{
    private static PersonHistory History(FaceManifest manifest, PersonCorrections? corrections = null) =>
        PersonHistory.Resolve(manifest, corrections ?? PersonCorrections.Empty, []);

    [Fact]
    public void A_rerun_with_new_photos_keeps_every_persons_id_and_name()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(1, temp.FullPath);
        int[] people = Enumerable.Range(0, 4).Select(_ => world.AddPerson()).ToArray();
        var first = people.SelectMany(p => world.Faces(p, 10 - (2 * p))).ToList();
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(first, PeopleWorld.Options());
        Assert.Equal([0, 1, 2, 3], before.Select(g => g.Id));

        // The smallest person becomes the largest: ids must follow the faces, not the size order.
        var second = first.Concat(world.Faces(people[3], 12, first: 100)).Reverse().ToList();
        FaceManifest manifest = world.Manifest(before);
        var corrections = PersonCorrections.Empty.WithName(before[1].Id, "Bob");
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster(second, PeopleWorld.Options(History(manifest, corrections)));

        Dictionary<string, int> was = PeopleWorld.IdOf(before), now = PeopleWorld.IdOf(after);
        Assert.All(was, face => Assert.Equal(face.Value, now[face.Key]));
        Assert.Equal(3, after[0].Id);
        Assert.Equal("Bob", after.Single(g => g.Id == before[1].Id).Name);
        Assert.Equal("Bob", after.Single(g => g.Id == before[1].Id).Label);
        Assert.Equal("cluster_3", after[0].Label);
        Assert.Empty(clusterer.Notices);
    }

    [Fact]
    public void A_new_person_gets_an_id_never_used_before()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(2, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson(), c = world.AddPerson();
        var first = world.Faces(a, 6).Concat(world.Faces(b, 5)).ToList();
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(first, PeopleWorld.Options());
        // Person ids up to 7 were used by an earlier run (retired since): the new person gets 8.
        var history = History(world.Manifest(before), PersonCorrections.Empty with { NextPersonId = 8 });
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster(first.Concat(world.Faces(c, 7)).ToList(), PeopleWorld.Options(history));
        Assert.Equal(8, after.Single(g => g.Members.Any(m => m.Face.Path.Contains($"p{c}_"))).Id);
        Assert.Equal(9, clusterer.NextPersonId);
    }

    [Fact]
    public void A_removed_face_never_rejoins_its_person_whatever_the_threshold()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(3, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson();
        var faces = world.Faces(a, 8).Concat(world.Faces(b, 8)).ToList();
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(faces, PeopleWorld.Options());
        FaceGroup alice = before.Single(g => g.Members.Any(m => m.Face.Path.EndsWith($"p{a}_0.jpg")));
        FaceEncoding removed = alice.Members[3].Face;
        var corrections = PersonCorrections.Empty.WithRemoval(new FaceRemovalCorrection(alice.Id, removed.Path, removed.FaceIndex));
        PersonHistory history = History(world.Manifest(before), corrections);

        foreach (double epsilon in new[] { 0.5, 1.0, 1.99 })
        {
            IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces, PeopleWorld.Options(history, epsilon));
            FaceGroup stillAlice = after.Single(g => g.Id == alice.Id);
            Assert.DoesNotContain(stillAlice.Members, m => m.Face == removed);
            Assert.Equal(alice.FaceCount - 1, stillAlice.FaceCount);
        }

        // Without the correction, the face is Alice's.
        Assert.Contains(new FaceClusterer().Cluster(faces, PeopleWorld.Options(History(world.Manifest(before)))).Single(g => g.Id == alice.Id).Members,
            m => m.Face == removed);
    }

    [Fact]
    public void Merged_people_stay_together_whatever_the_threshold_and_keep_the_target_id_and_a_name()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(4, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson(), c = world.AddPerson();
        var faces = world.Faces(a, 8).Concat(world.Faces(b, 6)).Concat(world.Faces(c, 4)).ToList();
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(faces, PeopleWorld.Options());
        Assert.Equal(3, before.Count);
        var corrections = PersonCorrections.Empty.WithMerge(1, 0).WithName(1, "Ann");
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster(faces, PeopleWorld.Options(History(world.Manifest(before), corrections), epsilon: 0.05));

        FaceGroup merged = after.Single(g => g.Id == 0);
        Assert.Equal(before[0].FaceCount + before[1].FaceCount, merged.FaceCount);
        Assert.Equal("Ann", merged.Name);
        Assert.DoesNotContain(after, g => g.Id == 1);
    }

    [Fact]
    public void Earlier_people_found_to_be_one_are_merged_deterministically_and_reported()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(5, temp.FullPath);
        int a = world.AddPerson();
        var faces = world.Faces(a, 10).ToList();
        // An earlier run split this person in two: 6 faces as person 4, 4 as person 2 (named).
        var earlier = new[]
        {
            new FaceGroup { Id = 4, Label = "cluster_4", Members = faces.Take(6).Select(f => new ClusterMember(f, FaceRole.Core)).ToArray(), Representative = faces[0] },
            new FaceGroup { Id = 2, Label = "cluster_2", Members = faces.Skip(6).Select(f => new ClusterMember(f, FaceRole.Core)).ToArray(), Representative = faces[6] },
        };
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster(faces, PeopleWorld.Options(History(world.Manifest(earlier), PersonCorrections.Empty.WithName(2, "Cy"))));
        FaceGroup one = Assert.Single(after);
        Assert.Equal(4, one.Id);
        Assert.Equal([2], one.MergedIds);
        Assert.Equal("Cy", one.Name);
        Assert.Contains(clusterer.Notices, n => n.Code == "PeopleMerged");
        Assert.Equal(5, clusterer.NextPersonId);
        Assert.Equal([2], world.Manifest(after).Clusters.Single().MergedIds);
    }

    [Fact]
    public void An_earlier_person_found_to_be_two_keeps_its_id_on_the_larger_part_and_the_split_is_reported()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(6, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson();
        var faces = world.Faces(a, 6).Concat(world.Faces(b, 4)).ToList();
        var earlier = new[] { new FaceGroup { Id = 0, Label = "cluster_0", Members = faces.Select(f => new ClusterMember(f, FaceRole.Core)).ToArray(), Representative = faces[0] } };
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster(faces, PeopleWorld.Options(History(world.Manifest(earlier))));
        Assert.Equal([0, 1], after.Select(g => g.Id));
        Assert.Equal(6, after[0].FaceCount);
        Assert.Equal(0, after[1].SplitFromId);
        Assert.Contains(clusterer.Notices, n => n.Code == "PersonSplit");
        Assert.Equal(0, world.Manifest(after).Clusters[1].SplitFromId);
    }

    [Fact]
    public void Doubtful_faces_name_their_nearest_person_by_its_kept_id()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(7, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson();
        var faces = world.Faces(a, 6).Concat(world.Faces(b, 4)).ToList();
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(faces, PeopleWorld.Options());
        var history = History(world.Manifest(before), PersonCorrections.Empty with { NextPersonId = 30 });
        var stray = PeopleWorld.Face(Path.Combine(temp.FullPath, "stray.jpg"), before[1].Members[0].Face.Vector.Select(x => -x).ToArray());
        IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces.Append(stray).ToList(), PeopleWorld.Options(history));
        ClusterMember doubtful = Assert.Single(after.Single(g => g.IsDoubtful).Members);
        Assert.Contains(doubtful.NearestClusterId!.Value, before.Select(g => g.Id));
    }

    [Fact]
    public void DBSCAN_refuses_corrections_it_cannot_honour()
    {
        using var temp = new TempDirectory();
        var world = new PeopleWorld(8, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson();
        var faces = world.Faces(a, 6).Concat(world.Faces(b, 4)).ToList();
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(faces, PeopleWorld.Options());
        var history = History(world.Manifest(before), PersonCorrections.Empty.WithMerge(1, 0));
        var options = new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.Dbscan, Epsilon = 0.5, MinSamples = 2, Previous = history };
        Assert.Throws<NotSupportedException>(() => new FaceClusterer().Cluster(faces, options));
    }
}
