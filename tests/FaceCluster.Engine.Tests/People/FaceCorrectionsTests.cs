using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.People;

/// <summary>Faces moved into a person or a new person, and faces hidden: applied by the next clustering as constraints.</summary>
public class FaceCorrectionsTests
{
    private static (PeopleWorld World, List<FaceEncoding> Faces, IReadOnlyList<FaceGroup> Before) TwoPeople(TempDirectory temp)
    {
        var world = new PeopleWorld(21, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson();
        var faces = world.Faces(a, 8).Concat(world.Faces(b, 6)).ToList();
        return (world, faces, new FaceClusterer().Cluster(faces, PeopleWorld.Options()));
    }

    private static PersonHistory History(FaceManifest manifest, PersonCorrections corrections) => PersonHistory.Resolve(manifest, corrections, []);

    [Fact]
    public void A_moved_face_joins_its_new_person_and_never_its_former_one_whatever_the_threshold()
    {
        using var temp = new TempDirectory();
        var (world, faces, before) = TwoPeople(temp);
        Assert.Equal([0, 1], before.Select(g => g.Id));
        FaceEncoding moved = before[0].Members[2].Face;
        PersonHistory history = History(world.Manifest(before), PersonCorrections.Empty.WithMove(new FaceMoveCorrection(0, moved.Path, moved.FaceIndex, 1)));

        foreach (double epsilon in new[] { 0.05, 0.5, 1.0 })
        {
            IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces, PeopleWorld.Options(history, epsilon));
            Assert.Contains(after.Single(g => g.Id == 1).Members, m => m.Face == moved);
            Assert.DoesNotContain(after.Where(g => g.Id != 1).SelectMany(g => g.Members), m => m.Face == moved);
        }
    }

    [Fact]
    public void Faces_moved_into_a_new_person_make_that_person_with_the_id_the_move_took()
    {
        using var temp = new TempDirectory();
        var (world, faces, before) = TwoPeople(temp);
        FaceEncoding[] split = before[0].Members.Take(3).Select(m => m.Face).ToArray();
        PersonCorrections corrections = split.Aggregate(PersonCorrections.Empty with { NextPersonId = 3 },
            (c, f) => c.WithMove(new FaceMoveCorrection(0, f.Path, f.FaceIndex, 2)));
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster(faces, PeopleWorld.Options(History(world.Manifest(before), corrections)));

        Assert.Equal(split, after.Single(g => g.Id == 2).Members.Select(m => m.Face));
        Assert.Equal(before[0].FaceCount - 3, after.Single(g => g.Id == 0).FaceCount);
        Assert.Equal(3, clusterer.NextPersonId);
    }

    [Fact]
    public void One_face_moved_into_a_new_person_is_that_person_not_a_doubtful_face()
    {
        using var temp = new TempDirectory();
        var (world, faces, before) = TwoPeople(temp);
        FaceEncoding moved = before[0].Members[4].Face;
        PersonCorrections corrections = PersonCorrections.Empty.WithMove(new FaceMoveCorrection(0, moved.Path, moved.FaceIndex, 2)) with { NextPersonId = 3 };
        IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces, PeopleWorld.Options(History(world.Manifest(before), corrections)));

        Assert.Equal([moved], after.Single(g => g.Id == 2).Members.Select(m => m.Face));
        Assert.DoesNotContain(after.Where(g => g.IsDoubtful).SelectMany(g => g.Members), m => m.Face == moved);
    }

    [Fact]
    public void A_hidden_face_joins_no_person_and_is_doubtful_whatever_the_threshold()
    {
        using var temp = new TempDirectory();
        var (world, faces, before) = TwoPeople(temp);
        FaceEncoding hidden = before[1].Members[0].Face;
        PersonHistory history = History(world.Manifest(before), PersonCorrections.Empty.WithHide(new FaceHideCorrection(hidden.Path, hidden.FaceIndex)));

        foreach (double epsilon in new[] { 0.5, 1.99 })
        {
            IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces, PeopleWorld.Options(history, epsilon));
            ClusterMember doubtful = after.Single(g => g.IsDoubtful).Members.Single(m => m.Face == hidden);
            Assert.Null(doubtful.NearestClusterId);
            Assert.DoesNotContain(after.Where(g => !g.IsDoubtful).SelectMany(g => g.Members), m => m.Face == hidden);
            Assert.Equal(faces.Count, after.Sum(g => g.FaceCount));
        }
    }

    [Fact]
    public void A_later_move_or_hiding_of_a_face_replaces_the_earlier_one_and_one_can_be_taken_back()
    {
        var move = new FaceMoveCorrection(0, "/p/a.jpg", 0, 1);
        var hide = new FaceHideCorrection("/p/a.jpg", 0);
        PersonCorrections c = PersonCorrections.Empty.WithMove(move).WithHide(hide);
        Assert.Empty(c.Moves);
        Assert.Equal([hide], c.Hidden);
        c = c.WithMove(move with { Into = 2 });
        Assert.Empty(c.Hidden);
        Assert.Equal(2, c.Moves.Single().Into);
        Assert.Empty(c.Without(c.Moves[0])!.Moves);
        Assert.Null(c.Without(move));
    }

    [Fact]
    public void A_file_of_an_earlier_version_reads_and_the_new_fields_round_trip()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File(PersonCorrections.FileName), """
            { "tool": "FaceCluster", "schemaVersion": 1, "nextPersonId": 3, "names": [{ "id": 1, "name": "Ann" }],
              "merges": [{ "id": 2, "into": 1 }], "removals": [{ "id": 1, "path": "/p/a.jpg", "faceIndex": 0 }] }
            """);
        PersonCorrections old = PersonCorrections.Load(temp.FullPath);
        Assert.Empty(old.Moves);
        Assert.Empty(old.Hidden);
        Assert.Null(old.Removals[0].ContentKey);
        Assert.Null(old.Names[0].Made);

        DateTimeOffset made = new(2026, 12, 7, 6, 30, 0, TimeSpan.Zero);
        PersonCorrections now = old
            .WithMove(new FaceMoveCorrection(-1, "/p/b.jpg", 1, 1) { ContentKey = new string('a', 64), Made = made })
            .WithHide(new FaceHideCorrection("/p/c.jpg", 0) { Made = made });
        now.Save(temp.FullPath);
        PersonCorrections read = PersonCorrections.Load(temp.FullPath);
        Assert.True(read.SameAs(now));
        Assert.Equal(made, read.Moves[0].Made);
        Assert.Equal(new string('a', 64), read.Moves[0].ContentKey);
    }

    [Fact]
    public void A_move_or_hiding_whose_photo_is_gone_is_retired_once()
    {
        using var temp = new TempDirectory();
        var (world, faces, before) = TwoPeople(temp);
        string folder = world.LayOut(before);
        new PersonCorrections()
            .WithMove(new FaceMoveCorrection(0, "/gone/a.jpg", 0, 1))
            .WithHide(new FaceHideCorrection("/gone/b.jpg", 0))
            .Save(folder);
        PreviousExport previous = PreviousExport.Load(folder);
        IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces, PeopleWorld.Options(previous.History([])));

        var notices = new List<PeopleNotice>();
        PersonCorrections concluded = previous.Conclude(after, 2, notices);
        Assert.Equal(2, notices.Count(n => n.Code == "CorrectionRetired"));
        Assert.True(concluded.Moves.Single().Retired);
        Assert.True(concluded.Hidden.Single().Retired);

        var again = new List<PeopleNotice>();
        new PreviousExport { Folder = folder, Manifest = previous.Manifest, ReadCorrections = concluded, Corrections = concluded, Notices = [] }
            .Conclude(after, 2, again);
        Assert.DoesNotContain(again, n => n.Code == "CorrectionRetired");
    }
}
