using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>Tests that touch the process-wide <see cref="FaceManifestMemo"/> run alone: another test's read would
/// replace the file kept.</summary>
[CollectionDefinition(nameof(FaceManifestMemoCollection), DisableParallelization = true)]
public sealed class FaceManifestMemoCollection;

/// <summary>
/// faces.json parsed once while it is unchanged (Invoke-FaceCluster -Previous and Export-FaceCluster -Sync of one night
/// share it), and read again after any change, an edit in place that keeps the length and the write time included.
/// </summary>
[Collection(nameof(FaceManifestMemoCollection))]
public sealed class FaceManifestMemoTests : TempDirectoryTest
{
    private string[] Photos(int count) =>
        Enumerable.Range(0, count).Select(i => TestJpeg.WritePhoto(Temp.Combine("src", $"p{i}.jpg"), i)).ToArray();

    private static FaceGroup[] Groups(string[] photos) =>
        [Cluster(0, Face(photos[0]), Face(photos[1])), Cluster(1, Face(photos[2])), Doubtful(Face(photos[3]))];

    /// <summary>Rewrites the file in place (same inode) with <paramref name="edit"/> applied, then puts its length and
    /// last write time back as they were.</summary>
    private static void EditInPlaceKeepingLengthAndTime(string path, Func<string, string> edit)
    {
        var time = File.GetLastWriteTimeUtc(path);
        var before = File.ReadAllText(path);
        var after = edit(before);
        Assert.NotEqual(before, after);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(before), System.Text.Encoding.UTF8.GetByteCount(after));
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            stream.Write(System.Text.Encoding.UTF8.GetBytes(after));
        File.SetLastWriteTimeUtc(path, time);
        Assert.Equal(time, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void An_unchanged_faces_json_is_parsed_once_and_gives_the_header_the_file_holds()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(Groups(Photos(4)), output, ExportMode.Copy));
        var path = Path.Combine(output, FaceManifest.FileName);

        var first = FaceManifest.Read(path);
        var second = FaceManifest.Read(path);

        Assert.Same(first, second);
        Assert.Equal(File.ReadAllBytes(path), second.ToUtf8Bytes());
        Assert.Equal(FaceManifestHeader.ReadFile(path), FaceManifestHeader.Read(path));
    }

    [Fact]
    public void A_faces_json_rewritten_between_reads_is_read_again()
    {
        var photos = Photos(4);
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(Groups(photos), output, ExportMode.Copy));
        var path = Path.Combine(output, FaceManifest.FileName);
        var before = FaceManifest.Read(path);
        var headerBefore = FaceManifestHeader.Read(path);

        // Another clustering synced into the folder (another process could do the same).
        PlanRunner.Run(ExportPlanner.Plan([Cluster(0, Face(photos[0]), Face(photos[1]), Face(photos[2])), Doubtful(Face(photos[3]))], output, ExportMode.Copy) with { Sync = true });
        var after = FaceManifest.Read(path);

        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
        Assert.Equal(File.ReadAllBytes(path), after.ToUtf8Bytes());
        Assert.NotEqual(headerBefore.Fingerprint, FaceManifestHeader.Read(path).Fingerprint);
        Assert.Equal(FaceManifestHeader.ReadFile(path), FaceManifestHeader.Read(path));
    }

    [Fact]
    public void A_faces_json_edited_in_place_with_its_length_and_write_time_kept_is_read_again()
    {
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(Groups(Photos(4)), output, ExportMode.Copy));
        var path = Path.Combine(output, FaceManifest.FileName);
        Assert.Equal("cluster_0/p1.jpg", FaceManifest.Read(path).Faces[1].Destination);
        var fingerprint = FaceManifestHeader.Read(path).Fingerprint!;

        EditInPlaceKeepingLengthAndTime(path, json => json.Replace("\"cluster_0/p1.jpg\"", "\"cluster_0/q1.jpg\"", StringComparison.Ordinal));
        Assert.Equal("cluster_0/q1.jpg", FaceManifest.Read(path).Faces[1].Destination);

        var other = (fingerprint[0] == '0' ? "1" : "0") + fingerprint[1..];
        EditInPlaceKeepingLengthAndTime(path, json => json.Replace(fingerprint, other, StringComparison.Ordinal));
        Assert.Equal(other, FaceManifestHeader.Read(path).Fingerprint);
    }

    [Fact]
    public void A_sync_after_the_previous_export_was_read_plans_as_one_that_reads_faces_json_itself()
    {
        var photos = Photos(6);
        var output = Temp.Combine("out");
        PlanRunner.Run(ExportPlanner.Plan(Groups(photos), output, ExportMode.Copy));
        File.Delete(Path.Combine(output, "cluster_1", "p2.jpg")); // deleted by the user: a note, not a copy
        FaceGroup[] night = [Cluster(0, Face(photos[0]), Face(photos[1]), Face(photos[4])), Cluster(1, Face(photos[2]), Face(photos[3])), Doubtful(Face(photos[5]))];
        var target = ExportPlanner.Plan(night, output, ExportMode.Copy) with { Sync = true };

        FaceManifestMemo.Forget(Path.Combine(output, FaceManifest.FileName));
        var alone = SyncPlanner.Plan(target);
        var previous = PreviousExport.Load(output); // Invoke-FaceCluster -Previous, in the same process
        var shared = SyncPlanner.Plan(target);

        Assert.NotNull(previous.Manifest);
        Assert.Equal(alone.Actions.Select(a => a.Description), shared.Actions.Select(a => a.Description));
        Assert.Equal(alone.Actions.Select(a => a.Manifest?.ToUtf8Bytes()), shared.Actions.Select(a => a.Manifest?.ToUtf8Bytes()));
        Assert.Equal(alone.Notes, shared.Notes);
        Assert.Equal(alone.Kept, shared.Kept);
        Assert.Contains(shared.Notes, n => n.Kind == ExportSyncNoteKind.DeletedByUser);
        Assert.Contains(shared.Actions, a => a.Kind == ExportActionKind.PlacePhotoCopy && a.Source == photos[4]);
    }
}
