using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.People;

public class PreviousExportTests
{
    private static (PeopleWorld World, IReadOnlyList<FaceGroup> Groups, List<FaceEncoding> Faces, string Folder) Export(TempDirectory temp)
    {
        var world = new PeopleWorld(11, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson();
        var faces = world.Faces(a, 6).Concat(world.Faces(b, 4)).ToList();
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(faces, PeopleWorld.Options());
        return (world, groups, faces, world.LayOut(groups));
    }

    [Fact]
    public void A_renamed_folder_names_its_person_and_a_deleted_photo_takes_its_face_out()
    {
        using var temp = new TempDirectory();
        var (_, groups, faces, folder) = Export(temp);
        Directory.Move(Path.Combine(folder, "cluster_1"), Path.Combine(folder, "Bob"));
        FaceEncoding deleted = groups[0].Members[2].Face;
        File.Delete(Path.Combine(folder, "cluster_0", Path.GetFileName(deleted.Path)));
        FaceEncoding deletedFromBob = groups[1].Members[0].Face;
        File.Delete(Path.Combine(folder, "Bob", Path.GetFileName(deletedFromBob.Path)));

        PreviousExport previous = PreviousExport.Load(folder);
        Assert.True(previous.CorrectionsChanged);
        Assert.Equal([new PersonNameCorrection(1, "Bob")], previous.Corrections.Names);
        Assert.Equal(
            [new FaceRemovalCorrection(0, deleted.Path, 0), new FaceRemovalCorrection(1, deletedFromBob.Path, 0)],
            previous.Corrections.Removals.OrderBy(r => r.Id));

        // Saved and read again, nothing new is found; the next clustering applies both.
        previous.Corrections.Save(folder);
        Assert.False(PreviousExport.Load(folder).CorrectionsChanged);
        var notices = new List<PeopleNotice>();
        IReadOnlyList<FaceGroup> after = new FaceClusterer().Cluster(faces, PeopleWorld.Options(PreviousExport.Load(folder).History(notices)));
        Assert.Empty(notices);
        Assert.Equal("Bob", after.Single(g => g.Id == 1).Label);
        Assert.DoesNotContain(after.Single(g => g.Id == 0).Members, m => m.Face == deleted);
        Assert.DoesNotContain(after.Single(g => g.Id == 1).Members, m => m.Face == deletedFromBob);
    }

    [Fact]
    public void A_folder_deleted_outright_is_reported_and_records_nothing()
    {
        using var temp = new TempDirectory();
        var (_, _, _, folder) = Export(temp);
        Directory.Delete(Path.Combine(folder, "cluster_1"), recursive: true);
        PreviousExport previous = PreviousExport.Load(folder);
        Assert.False(previous.CorrectionsChanged);
        Assert.Contains(previous.Notices, n => n.Code == "PersonFolderMissing");
    }

    [Fact]
    public void Photos_missing_from_an_unfinished_export_are_not_corrections()
    {
        using var temp = new TempDirectory();
        var (world, groups, _, folder) = Export(temp);
        world.Manifest(groups).AsIncomplete().Write(Path.Combine(folder, FaceManifest.FileName));
        File.Delete(Path.Combine(folder, "cluster_0", Path.GetFileName(groups[0].Members[0].Face.Path)));
        Assert.Empty(PreviousExport.Load(folder).Corrections.Removals);
    }

    [Fact]
    public void A_folder_without_an_export_is_a_first_run_and_a_damaged_manifest_is_an_error()
    {
        using var temp = new TempDirectory();
        PreviousExport none = PreviousExport.Load(temp.File("not-yet"));
        Assert.Null(none.Manifest);
        File.WriteAllText(temp.File(FaceManifest.FileName), "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => PreviousExport.Load(temp.FullPath));
        Assert.Contains(FaceManifest.FileName, e.Message);
    }

    [Fact]
    public void Corrections_naming_what_no_longer_exists_are_reported_not_fatal()
    {
        using var temp = new TempDirectory();
        var (world, groups, faces, _) = Export(temp);
        var corrections = PersonCorrections.Empty.WithName(42, "Gone").WithMerge(40, 41)
            .WithRemoval(new FaceRemovalCorrection(43, faces[0].Path, 0)).WithRemoval(new FaceRemovalCorrection(0, "/nowhere.jpg", 0));
        var notices = new List<PeopleNotice>();
        PersonHistory history = PersonHistory.Resolve(world.Manifest(groups), corrections, notices);
        Assert.Equal(4, notices.Count(n => n.Code == "CorrectionStale"));
        Assert.Equal(44, history.NextId);
        Assert.Equal(groups.Count, new FaceClusterer().Cluster(faces, PeopleWorld.Options(history)).Count);
    }

    [Fact]
    public void Corrections_json_round_trips_and_refuses_what_is_not_ours()
    {
        using var temp = new TempDirectory();
        var corrections = PersonCorrections.Empty.WithName(3, "Alice").WithName(3, "Alicia").WithMerge(4, 3).WithMerge(4, 3)
            .WithRemoval(new FaceRemovalCorrection(3, "/p/x.jpg", 1)) with { NextPersonId = 9 };
        corrections.Save(temp.FullPath);
        PersonCorrections read = PersonCorrections.Load(temp.FullPath);
        Assert.True(read.SameAs(corrections));
        Assert.Equal([new PersonNameCorrection(3, "Alicia")], read.Names);
        Assert.Single(read.Merges);
        Assert.Contains("\"nextPersonId\": 9", File.ReadAllText(temp.File(PersonCorrections.FileName)));
        File.WriteAllText(temp.File(PersonCorrections.FileName), "{\"tool\":\"Other\"}");
        Assert.Throws<InvalidDataException>(() => PersonCorrections.Load(temp.FullPath));
    }
}
