using FaceCluster.Engine.People;

namespace FaceCluster.Engine.Tests.People;

/// <summary>Face corrections keyed by the photo's content as well as its path: a moved or renamed photo keeps them.</summary>
public class CorrectionsFollowPhotosTests
{
    [Fact]
    public void A_correction_whose_photo_is_gone_follows_the_photo_with_its_content_and_replaces_itself_when_saved()
    {
        using var temp = new TempDirectory();
        string renamed = temp.File("renamed.jpg"), other = temp.File("other.jpg"), kept = temp.File("kept.jpg");
        File.WriteAllText(renamed, "the photo");
        File.WriteAllText(other, "another photo");
        File.WriteAllText(kept, "a photo still in place");
        string key = PreviousExport.ContentKeyOf(renamed)!;
        var basis = PersonCorrections.Empty
            .WithHide(new FaceHideCorrection(temp.File("gone/photo.jpg"), 1) { ContentKey = key })
            .WithRemoval(new FaceRemovalCorrection(2, kept, 0) { ContentKey = PreviousExport.ContentKeyOf(kept) });
        var hashed = new List<string>();
        var moved = new Dictionary<string, string>();

        PersonCorrections relocated = basis.Relocate([kept, other, renamed], [], p => { hashed.Add(p); return PreviousExport.ContentKeyOf(p); }, moved);

        Assert.Equal(renamed, relocated.Hidden.Single().Path);
        Assert.Equal(kept, relocated.Removals.Single().Path);
        Assert.Equal(new Dictionary<string, string> { [temp.File("gone/photo.jpg")] = renamed }, moved);
        Assert.DoesNotContain(kept, hashed); // a photo a correction names is not hashed
        PersonCorrections saved = relocated.Rebase(basis, basis, moved);
        Assert.Equal(renamed, saved.Hidden.Single().Path);
    }

    [Fact]
    public void A_copy_of_a_photo_the_export_held_already_is_not_taken_for_a_gone_one()
    {
        using var temp = new TempDirectory();
        string copy = temp.File("copy.jpg");
        File.WriteAllText(copy, "the photo");
        var corrections = PersonCorrections.Empty
            .WithHide(new FaceHideCorrection(temp.File("gone.jpg"), 0) { ContentKey = PreviousExport.ContentKeyOf(copy) });

        PersonCorrections after = corrections.Relocate([copy], [copy], PreviousExport.ContentKeyOf, new Dictionary<string, string>());

        Assert.Equal(temp.File("gone.jpg"), after.Hidden.Single().Path);
    }

    [Fact]
    public void Nothing_is_hashed_when_no_correction_lost_its_photo_and_a_correction_without_a_key_stays()
    {
        using var temp = new TempDirectory();
        string photo = temp.File("a.jpg");
        File.WriteAllText(photo, "a");
        var corrections = PersonCorrections.Empty.WithHide(new FaceHideCorrection(photo, 0))
            .WithMove(new FaceMoveCorrection(0, temp.File("gone.jpg"), 0, 1));

        Assert.Same(corrections, corrections.Relocate([photo, temp.File("new.jpg")], [], p => throw new InvalidOperationException(p), new Dictionary<string, string>()));
    }
}
