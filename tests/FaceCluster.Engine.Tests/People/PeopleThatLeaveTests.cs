using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.People;

/// <summary>
/// Nightly runs (Invoke-FaceCluster -Previous, then a fresh export that keeps corrections.json) after a person or a
/// corrected face leaves the library: the night it happens one notice says so, and later nights say nothing more.
/// </summary>
public class PeopleThatLeaveTests
{
    public enum Leaving
    {
        /// <summary>Remove-FaceClusterMember of every face of the person.</summary>
        TakenOut,

        /// <summary>Merge-FaceCluster into another named person.</summary>
        Merged,

        /// <summary>The person's photos deleted from the library.</summary>
        PhotosDeleted,
    }

    [Theory]
    [InlineData(Leaving.TakenOut)]
    [InlineData(Leaving.Merged)]
    [InlineData(Leaving.PhotosDeleted)]
    public void A_named_person_who_leaves_is_reported_the_night_it_happens_and_only_then(Leaving how)
    {
        using var temp = new TempDirectory();
        var (world, faces, groups) = FirstNight(temp, seed: 21);
        int bob = groups[1].Id;
        using (CorrectionBook book = CorrectionBook.Open(Folder(world)))
        {
            book.Rename(groups[0].Id, "Ann");
            book.Rename(bob, "Bob");
            switch (how)
            {
                case Leaving.TakenOut:
                    foreach (string photo in groups[1].Photos)
                    {
                        book.Remove(bob, photo, null);
                    }

                    break;
                case Leaving.Merged:
                    book.Merge(bob, groups[0].Id);
                    break;
                default:
                    break;
            }

            book.Save();
        }

        if (how == Leaving.PhotosDeleted)
        {
            faces = Delete(faces, groups[1].Photos);
        }

        List<PeopleNotice> night1 = Night(world, faces);
        PeopleNotice gone = Assert.Single(night1, n => n.Code == "NamedPersonGone");
        Assert.Contains("'Bob'", gone.Message);
        Assert.Contains(PersonCorrections.FileName, gone.Message);
        Assert.DoesNotContain(Night(world, faces), n => n.Message.Contains("Bob", StringComparison.Ordinal));
        Assert.DoesNotContain(Night(world, faces), n => n.Message.Contains("Bob", StringComparison.Ordinal));
        Assert.Contains(PersonCorrections.Load(Folder(world)).Names, n => n.Name == "Bob");
    }

    [Fact]
    public void A_face_taken_out_whose_photo_is_then_deleted_retires_its_correction_with_one_notice()
    {
        using var temp = new TempDirectory();
        var (world, faces, groups) = FirstNight(temp, seed: 22);
        string photo = groups[0].Photos[1];
        using (CorrectionBook book = CorrectionBook.Open(Folder(world)))
        {
            book.Remove(groups[0].Id, photo, null);
            book.Save();
        }

        Assert.Empty(Night(world, faces));
        FaceEncoding removed = faces.Single(f => f.Path == photo);
        faces = Delete(faces, [photo]);

        PeopleNotice retired = Assert.Single(Night(world, faces));
        Assert.Equal("CorrectionRetired", retired.Code);
        Assert.Contains(photo, retired.Message);
        Assert.Empty(Night(world, faces));
        Assert.Empty(Night(world, faces));
        Assert.True(Assert.Single(PersonCorrections.Load(Folder(world)).Removals).Retired);

        // Should the photo come back, the correction still holds.
        File.WriteAllBytes(photo, []);
        faces = [.. faces, removed];
        Assert.DoesNotContain(Night(world, faces), n => n.Code == "CorrectionRetired");
        Assert.False(Assert.Single(PersonCorrections.Load(Folder(world)).Removals).Retired);
    }

    private static string Folder(PeopleWorld world) => Path.Combine(world.Root, "out");

    /// <summary>Two people (6 and 4 photos, each a file) clustered and exported.</summary>
    private static (PeopleWorld World, List<FaceEncoding> Faces, IReadOnlyList<FaceGroup> Groups) FirstNight(TempDirectory temp, int seed)
    {
        var world = new PeopleWorld(seed, temp.FullPath);
        int a = world.AddPerson(), b = world.AddPerson();
        var faces = world.Faces(a, 6).Concat(world.Faces(b, 4)).ToList();
        faces.ForEach(f => File.WriteAllBytes(f.Path, []));
        IReadOnlyList<FaceGroup> groups = new FaceClusterer().Cluster(faces, PeopleWorld.Options());
        Assert.Equal(2, groups.Count(g => !g.IsDoubtful));
        world.LayOut(groups);
        return (world, faces, groups);
    }

    private static List<FaceEncoding> Delete(List<FaceEncoding> faces, IReadOnlyList<string> photos)
    {
        foreach (string photo in photos)
        {
            File.Delete(photo);
        }

        return faces.Where(f => !photos.Contains(f.Path)).ToList();
    }

    /// <summary>What the nightly task does: Invoke-FaceCluster -Previous (its notices returned), then a fresh export.</summary>
    private static List<PeopleNotice> Night(PeopleWorld world, IReadOnlyList<FaceEncoding> faces)
    {
        string folder = Folder(world);
        PreviousExport previous = PreviousExport.Load(folder);
        var notices = new List<PeopleNotice>(previous.Notices);
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> groups = clusterer.Cluster(faces, PeopleWorld.Options(previous.History(notices)));
        notices.AddRange(clusterer.Notices.Where(n => n.Code is not ("PersonSplit" or "PeopleMerged")));
        previous.Save(previous.Conclude(groups, clusterer.NextPersonId, notices), notices);
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder).Where(e => Path.GetFileName(e) != PersonCorrections.FileName))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        world.LayOut(groups);
        return notices;
    }
}
