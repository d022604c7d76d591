using FaceCluster.Engine.Export;
using FaceCluster.Engine.Review;
using FaceCluster.Engine.Tests.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Review;

public class ReviewPageWriterTests
{
    private static ReviewPageResult Write(string output, IReadOnlyList<FaceGroup> groups) =>
        ReviewPageWriter.Write(output, groups, ExportPlanner.Plan(groups, output, ExportMode.Copy).Manifest, DateTimeOffset.UnixEpoch);

    [Fact]
    public void ThumbnailsAreMadeOnceAndReusedByALaterRun()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var b = TestJpeg.WritePhoto(temp.Combine("in", "b.jpg"), 2);
        var groups = new[] { Cluster(0, Face(a), Face(b)) };
        var output = temp.Combine("out");

        var first = Write(output, groups);
        Assert.Equal((2, 0), (first.ThumbnailsMade, first.ThumbnailsReused));
        Assert.Empty(first.Failures);
        var thumbnails = Directory.GetFiles(Path.Combine(output, ReviewSite.ThumbnailFolder));
        Assert.Equal(2, thumbnails.Length);
        var written = thumbnails.ToDictionary(t => t, File.GetLastWriteTimeUtc);

        var second = Write(output, groups);
        Assert.Equal((0, 2), (second.ThumbnailsMade, second.ThumbnailsReused));
        Assert.All(written, t => Assert.Equal(t.Value, File.GetLastWriteTimeUtc(t.Key)));
        Assert.True(File.Exists(Path.Combine(output, ReviewSite.IndexFileName)));
    }

    [Fact]
    public void TheScriptsAreSealedAndTheKeyScriptCarriesTheKeyOfFacesJsonOnDisk()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var output = temp.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, FaceManifest.FileName), "{\"as\":\"written\"}");

        Assert.Empty(Write(output, [Cluster(0, Face(a))]).LeftAlone);

        Assert.True(ReviewSeal.IsSealed(Path.Combine(output, ReviewSite.FolderName, ReviewSite.ScriptName)));
        var keyScript = Path.Combine(output, ReviewSite.FolderName, ReviewSite.KeyScriptName);
        Assert.True(ReviewSeal.IsSealed(keyScript));
        var key = ReviewEdits.ExportKey(File.ReadAllBytes(Path.Combine(output, FaceManifest.FileName)));
        Assert.Contains($"window.faceClusterExport = \"{key}\";", File.ReadAllText(keyScript), StringComparison.Ordinal);
    }

    [Fact]
    public void AnExportThatChangesOnePersonRewritesItsPagesAndTheKeyButNotTheOtherPeoplesPages()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var b = TestJpeg.WritePhoto(temp.Combine("in", "b.jpg"), 2);
        var c = TestJpeg.WritePhoto(temp.Combine("in", "c.jpg"), 3);
        var output = temp.Combine("out");
        Directory.CreateDirectory(output);
        var manifest = Path.Combine(output, FaceManifest.FileName);
        File.WriteAllText(manifest, "{\"night\":1}");
        Write(output, [Cluster(0, Face(a)), Cluster(1, Face(b))]);
        var unchanged = Path.Combine(output, ReviewSite.PersonPage(1, 1));
        var changed = Path.Combine(output, ReviewSite.PersonPage(0, 1));
        var keyScript = Path.Combine(output, ReviewSite.FolderName, ReviewSite.KeyScriptName);
        var past = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var page in (string[])[unchanged, changed, keyScript])
            File.SetLastWriteTimeUtc(page, past);

        // The next night: a new face joins person 0, and faces.json (so the export's key) changes.
        File.WriteAllText(manifest, "{\"night\":2}");
        Assert.Empty(Write(output, [Cluster(0, Face(a), Face(c)), Cluster(1, Face(b))]).LeftAlone);

        Assert.Equal(past, File.GetLastWriteTimeUtc(unchanged));
        Assert.NotEqual(past, File.GetLastWriteTimeUtc(changed));
        Assert.Contains("c.jpg", File.ReadAllText(changed), StringComparison.Ordinal);
        Assert.NotEqual(past, File.GetLastWriteTimeUtc(keyScript));
        var key = ReviewEdits.ExportKey(File.ReadAllBytes(manifest));
        Assert.Contains($"\"{key}\"", File.ReadAllText(keyScript), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMostAlikePeopleAreKeptForTheNextExportWhichComputesTheSameOnes()
    {
        using var temp = new Export.TempDirectory();
        FaceEncoding Photo(string name, int seed, float[] vector)
        {
            var face = Face(TestJpeg.WritePhoto(temp.Combine("in", name), seed));
            return new FaceEncoding
            {
                Path = face.Path, FaceIndex = 0, Box = face.Box, Landmarks = face.Landmarks, Confidence = face.Confidence,
                Vector = vector, Model = face.Model, ImageWidth = face.ImageWidth, ImageHeight = face.ImageHeight,
            };
        }

        var a = Photo("a.jpg", 1, [1f, 0f, 0f]);
        var b = Photo("b.jpg", 2, [0.9f, 0.1f, 0f]);
        var c = Photo("c.jpg", 3, [0f, 1f, 0f]);
        var d = Photo("d.jpg", 4, [0.95f, 0f, 0.05f]);
        var output = temp.Combine("out");
        var kept = Path.Combine(output, ReviewSite.FolderName, NearestPeopleState.FileName);
        FaceGroup[] first = [Cluster(0, a), Cluster(1, b), Cluster(2, c)];
        Write(output, first);
        Assert.Equal(NearestPeople.Find(first).OrderBy(p => p.Key), NearestPeopleState.Read(kept)!.Nearest().OrderBy(p => p.Key));

        // The next night: a new person nearer to person 0 than person 1 is; person 2 gains a face.
        FaceGroup[] second = [Cluster(0, a), Cluster(1, b), Cluster(2, c, Photo("c2.jpg", 5, [0f, 0.9f, 0.1f])), Cluster(3, d)];
        Assert.Empty(Write(output, second).LeftAlone);
        Assert.Equal(NearestPeople.Find(second).OrderBy(p => p.Key), NearestPeopleState.Read(kept)!.Nearest().OrderBy(p => p.Key));
        Assert.Equal(3, NearestPeople.Find(second)[0]);

        // The kept file is what the next export starts from: a claim in it about unchanged people is believed.
        var state = NearestPeopleState.Read(kept)!;
        File.WriteAllBytes(kept, (state with { People = [.. state.People.Select(p => p.Id == 0 ? p with { Hint = 2, HintDistance = 0 } : p)] }).ToUtf8Bytes());
        Write(output, second);
        Assert.Equal(2, NearestPeopleState.Read(kept)!.Nearest()[0]);
    }

    [Fact]
    public void ANightsReviewIsTheOneAFullBuildOfTheSameGroupsWrites()
    {
        // The pages a night keeps (their people unchanged) and the ones it builds again must together be, byte for
        // byte, what an export of the same groups into a folder without a review writes.
        using var temp = new Export.TempDirectory();
        FaceEncoding Photo(string name, int seed, float[] vector) => WithVector(Face(TestJpeg.WritePhoto(temp.Combine("in", name), seed)), vector);
        var a = Photo("a.jpg", 1, [1f, 0f, 0f]);
        var b = Photo("b.jpg", 2, [0.95f, 0.05f, 0f]);
        var c = Photo("c.jpg", 3, [0f, 1f, 0f]);
        var d = Photo("d.jpg", 4, [0.1f, 0.9f, 0.1f]);
        var e = Photo("e.jpg", 5, [0.6f, 0f, 0.8f]);
        // Three pages of doubtful faces and three of person 5's, the second of each the night leaves as it is.
        var crowd = TestJpeg.WritePhoto(temp.Combine("in", "crowd.jpg"), 8);
        var many = 2 * ReviewSite.FacesPerPage + 1;
        var doubtful = Enumerable.Range(0, many).Select(i => Face(crowd, index: i)).ToArray();
        var large = Enumerable.Range(many + 1, many).Select(i => Face(crowd, index: i)).ToArray();
        var output = temp.Combine("out");
        // Three pages of people: people of two faces after persons 5 and 0, the second page of them unchanged.
        var pairs = Enumerable.Range(0, 2 * ReviewSite.PeoplePerPage + 1)
            .Select(i => Cluster(100 + i, Face(crowd, index: 3 * many + (2 * i)), Face(crowd, index: 3 * many + (2 * i) + 1))).ToArray();
        FaceGroup[] first = [Cluster(0, a, b), Cluster(1, c), Cluster(2, d), Cluster(3, e), Cluster(5, large), .. pairs, Doubtful(doubtful)];
        Write(output, first);
        string[] kept = [ReviewSite.PersonPage(3, 1), ReviewSite.DoubtfulPage(2), ReviewSite.PersonPage(5, 2), ReviewSite.PeoplePage(2)];
        var past = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var page in kept)
            File.SetLastWriteTimeUtc(Path.Combine(output, page), past);
        Write(output, first); // the stamps as the export found them

        // The night: person 0 grows, person 2 is named (person 1, whose most alike it is, shows the new name), a new
        // person; person 3 (most alike: person 0, same id and name) is unchanged.
        FaceGroup[] night =
        [
            Cluster(0, a, b, Photo("f.jpg", 6, [0.9f, 0.1f, 0f])), Cluster(1, c),
            new FaceGroup { Id = 2, Label = "Alice", Name = "Alice", Members = [new ClusterMember(d, FaceRole.Core)], Representative = d },
            Cluster(3, e), Cluster(4, Photo("g.jpg", 7, [-1f, 0f, 0f])), Cluster(5, [.. large, Face(crowd, index: 2 * many + 1)]), .. pairs,
            Doubtful([.. doubtful, Face(crowd, index: many)]),
        ];
        Assert.Empty(Write(output, night).LeftAlone);
        Assert.All(kept, page => Assert.Equal(past, File.GetLastWriteTimeUtc(Path.Combine(output, page))));
        Assert.Contains("Alice", File.ReadAllText(Path.Combine(output, ReviewSite.PersonPage(1, 1))), StringComparison.Ordinal);
        var afterNight = ReviewFolder(output);

        Directory.Delete(Path.Combine(output, ReviewSite.FolderName), recursive: true);
        File.Delete(Path.Combine(output, ReviewSite.IndexFileName));
        Write(output, night);
        var full = ReviewFolder(output);

        Assert.Equal(full.Keys.Order(StringComparer.Ordinal), afterNight.Keys.Order(StringComparer.Ordinal));
        Assert.All(full, f => Assert.True(f.Value.AsSpan().SequenceEqual(afterNight[f.Key]), $"{f.Key} differs from a full build's"));

        // A kept page the user removed is written again.
        File.Delete(Path.Combine(output, kept[0]));
        Assert.Empty(Write(output, night).LeftAlone);
        Assert.Equal(full[kept[0]], File.ReadAllBytes(Path.Combine(output, kept[0])));
    }

    /// <summary>The review's files by path relative to the export: index.html and the review folder, but the list of
    /// pages kept for the next export, which holds the files' times.</summary>
    private static Dictionary<string, byte[]> ReviewFolder(string output) =>
        Directory.EnumerateFiles(Path.Combine(output, ReviewSite.FolderName), "*", SearchOption.AllDirectories)
            .Append(Path.Combine(output, ReviewSite.IndexFileName))
            .Where(f => Path.GetFileName(f) != ReviewPageState.FileName)
            .ToDictionary(f => Path.GetRelativePath(output, f).Replace('\\', '/'), File.ReadAllBytes);

    private static FaceEncoding WithVector(FaceEncoding face, float[] vector) => new()
    {
        Path = face.Path, FaceIndex = face.FaceIndex, Box = face.Box, Landmarks = face.Landmarks, Confidence = face.Confidence,
        Vector = vector, Model = face.Model, ImageWidth = face.ImageWidth, ImageHeight = face.ImageHeight,
    };

    [Fact]
    public void AFileAtTheKeptHintsPathThatIsNotTheExportsIsLeftAlone()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var output = temp.Combine("out");
        var kept = Path.Combine(output, ReviewSite.FolderName, NearestPeopleState.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.WriteAllText(kept, "my notes");

        var result = Write(output, [Cluster(0, Face(a)), Cluster(1, Face(a, index: 1))]);

        Assert.Equal("my notes", File.ReadAllText(kept));
        Assert.Contains(result.LeftAlone, l => l.Path == kept && !l.IsLink);
        Assert.True(File.Exists(Path.Combine(output, ReviewSite.PersonPage(0, 1))));
    }

    [Fact]
    public void AnEditedPhotoGetsANewThumbnail()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var before = ThumbnailStore.NameFor(Face(a));
        TestJpeg.WritePhoto(a, 5);
        File.SetLastWriteTimeUtc(a, DateTime.UtcNow.AddMinutes(1));
        Assert.NotEqual(before, ThumbnailStore.NameFor(Face(a)));
        Assert.Equal(ThumbnailStore.NameFor(Face(a)), ThumbnailStore.NameFor(Face(a)));
    }

    [Fact]
    public void AnUnreadablePhotoIsReportedAndShownByName()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var broken = temp.Combine("in", "broken.jpg");
        File.WriteAllText(broken, "not a jpeg");
        var output = temp.Combine("out");

        var result = Write(output, [Cluster(0, Face(a), Face(broken))]);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(broken, failure.Path);
        Assert.Contains("class=\"nothumb\">broken.jpg, face 0</span>", File.ReadAllText(Path.Combine(output, ReviewSite.PersonPage(0, 1))));
    }

    [Fact]
    public void PagesOfPeopleNoLongerExportedAreRemoved()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var b = TestJpeg.WritePhoto(temp.Combine("in", "b.jpg"), 2);
        var output = temp.Combine("out");
        Write(output, [Cluster(0, Face(a)), Cluster(1, Face(b))]);
        Assert.True(File.Exists(Path.Combine(output, ReviewSite.PersonPage(1, 1))));

        Write(output, [Cluster(0, Face(a), Face(b))]);

        Assert.False(File.Exists(Path.Combine(output, ReviewSite.PersonPage(1, 1))));
        Assert.True(File.Exists(Path.Combine(output, ReviewSite.PersonPage(0, 1))));
    }

    [Fact]
    public void ThumbnailsOfFacesNoLongerExportedAreRemovedAndOtherFilesKept()
    {
        // A rerun or a sync must leave the folder as a fresh export of the same groups would.
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var b = TestJpeg.WritePhoto(temp.Combine("in", "b.jpg"), 2);
        var output = temp.Combine("out");
        Write(output, [Cluster(0, Face(a), Face(b))]);
        var mine = Path.Combine(output, ReviewSite.ThumbnailFolder, "mine.jpg");
        File.WriteAllText(mine, "a file of the user's");

        Write(output, [Cluster(0, Face(a))]);

        var left = Directory.GetFiles(Path.Combine(output, ReviewSite.ThumbnailFolder)).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "mine.jpg", ThumbnailStore.NameFor(Face(a)) }.Order(StringComparer.Ordinal), left);
    }

    [Fact]
    public void ThePhotosThatFailedAreListedAndTheirPageGoesWhenALaterRunHasNone()
    {
        using var temp = new Export.TempDirectory();
        var groups = new[] { Cluster(0, Face(TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1))) };
        var output = temp.Combine("out");
        FaceManifestFailedPhoto[] failed = [new() { Path = temp.Combine("in", "b&c.jpg"), ErrorId = "ImageTruncated", Message = "ends early" }];

        ReviewPageWriter.Write(output, groups, ExportPlanner.Plan(groups, output, ExportMode.Copy, failed).Manifest, DateTimeOffset.UnixEpoch);
        var index = File.ReadAllText(Path.Combine(output, ReviewSite.IndexFileName));
        Assert.Contains($"<code>{System.Net.WebUtility.HtmlEncode(failed[0].Path)}</code> <span class=\"error-id\">ImageTruncated</span>", index);
        Assert.True(File.Exists(Path.Combine(output, ReviewSite.FailedPage(1))));

        ReviewPageWriter.Write(output, groups, ExportPlanner.Plan(groups, output, ExportMode.Copy, []).Manifest, DateTimeOffset.UnixEpoch);
        Assert.False(File.Exists(Path.Combine(output, ReviewSite.FailedPage(1))));
    }

    [Fact]
    public void TheUsersOwnIndexStyleSheetAndPagesAreNeverOverwritten()
    {
        // Export-FaceCluster -Force into a folder of the user's: their index.html, review.css and doubtful.html stay.
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var b = TestJpeg.WritePhoto(temp.Combine("in", "b.jpg"), 2);
        var output = temp.Combine("out");
        string[] users = [ReviewSite.IndexFileName, $"{ReviewSite.FolderName}/{ReviewSite.StyleSheetName}", ReviewSite.DoubtfulPage(1)];
        foreach (var file in users)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(output, file))!);
            File.WriteAllText(Path.Combine(output, file), "the user's " + file);
        }

        Write(output, [Cluster(0, Face(a)), Doubtful(Face(b))]);
        var result = Write(output, [Cluster(0, Face(a)), Doubtful(Face(b))]);

        Assert.All(users, file => Assert.Equal("the user's " + file, File.ReadAllText(Path.Combine(output, file))));
        Assert.Equal(users.Select(f => Path.Combine(output, f)).Order(StringComparer.Ordinal), result.LeftAlone.Select(l => l.Path).Order(StringComparer.Ordinal));
        Assert.All(result.LeftAlone, l => Assert.False(l.IsLink));
        Assert.True(File.Exists(Path.Combine(output, ReviewSite.PersonPage(0, 1))));
    }

    [Fact]
    public void TheUsersOwnPagesInTheReviewFolderAreNeverRemoved()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var output = temp.Combine("out");
        Write(output, [Cluster(0, Face(a))]);
        var notes = Path.Combine(output, ReviewSite.FolderName, "notes.html");
        File.WriteAllText(notes, "<p>mine</p>");

        Write(output, [Cluster(0, Face(a))]);

        Assert.Equal("<p>mine</p>", File.ReadAllText(notes));
    }

    [Fact]
    public void APageTheUserEditedIsLeftAsTheUserLeftIt()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var b = TestJpeg.WritePhoto(temp.Combine("in", "b.jpg"), 2);
        var output = temp.Combine("out");
        Write(output, [Cluster(0, Face(a)), Cluster(1, Face(b))]);
        var index = Path.Combine(output, ReviewSite.IndexFileName);
        var person = Path.Combine(output, ReviewSite.PersonPage(1, 1));
        File.AppendAllText(index, "<p>my note</p>");
        File.AppendAllText(person, "<p>my note</p>");
        var edited = (File.ReadAllText(index), File.ReadAllText(person));

        var result = Write(output, [Cluster(0, Face(a), Face(b))]);

        Assert.Equal(edited, (File.ReadAllText(index), File.ReadAllText(person)));
        Assert.Equal([index], result.LeftAlone.Select(l => l.Path)); // the person page is no longer written, and not removed
    }

    [Theory]
    [InlineData(ReviewSite.FolderName)]
    [InlineData(ReviewSite.ThumbnailFolder)]
    public void AReviewFolderThatIsALinkIsNeverWrittenThroughNorEmptied(string linked)
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var output = temp.Combine("out");
        var elsewhere = temp.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, "doubtful.html"), "the user's");
        File.WriteAllText(Path.Combine(elsewhere, "0123456789abcdef0123456789abcdef.jpg"), "the user's");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(output, linked))!);
        Directory.CreateSymbolicLink(Path.Combine(output, linked), elsewhere);
        var before = FolderSnapshot.Of(elsewhere);

        var result = Write(output, [Cluster(0, Face(a))]);

        Assert.Equal(before, FolderSnapshot.Of(elsewhere));
        var left = Assert.Single(result.LeftAlone);
        Assert.Equal((Path.Combine(output, linked), true), (left.Path, left.IsLink));
        Assert.Equal(elsewhere, new DirectoryInfo(Path.Combine(output, linked)).LinkTarget);
    }

    [Fact]
    public void AThumbnailThatIsALinkIsNeitherFollowedNorRemoved()
    {
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var b = TestJpeg.WritePhoto(temp.Combine("in", "b.jpg"), 2);
        var output = temp.Combine("out");
        Write(output, [Cluster(0, Face(a), Face(b))]);
        var thumbnail = Path.Combine(output, ReviewSite.ThumbnailFolder, ThumbnailStore.NameFor(Face(b)));
        File.Delete(thumbnail);
        File.CreateSymbolicLink(thumbnail, b);
        var source = File.ReadAllBytes(b);

        Write(output, [Cluster(0, Face(a))]);

        Assert.Equal(b, new FileInfo(thumbnail).LinkTarget);
        Assert.Equal(source, File.ReadAllBytes(b));
    }

    [Fact]
    public void PagesAnEarlierVersionWroteWithoutASealAreStillTheExportsOnce()
    {
        // An export made before pages were sealed: its next run must still update its review, not strand it.
        using var temp = new Export.TempDirectory();
        var a = TestJpeg.WritePhoto(temp.Combine("in", "a.jpg"), 1);
        var b = TestJpeg.WritePhoto(temp.Combine("in", "b.jpg"), 2);
        var output = temp.Combine("out");
        FaceGroup[] before = [Cluster(0, Face(a)), Cluster(1, Face(b))];
        var manifest = ExportPlanner.Plan(before, output, ExportMode.Copy).Manifest;
        foreach (var file in ReviewSite.Build(new ReviewInput
        {
            Manifest = manifest, ExportKey = "", ExportFolder = output, ExportedAt = DateTimeOffset.UnixEpoch,
            Thumbnails = new Dictionary<(string, int), string>(), NearestPeople = new Dictionary<int, int>(),
        }).Where(f => !f.RelativePath.EndsWith(".js", StringComparison.Ordinal))) // no review.js before pages were sealed
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(output, file.RelativePath))!);
            File.WriteAllText(Path.Combine(output, file.RelativePath), file.Content);
        }

        var result = Write(output, [Cluster(0, Face(a), Face(b))]);

        Assert.Empty(result.LeftAlone);
        Assert.True(ReviewSeal.IsSealed(Path.Combine(output, ReviewSite.IndexFileName)));
        Assert.True(ReviewSeal.IsSealed(Path.Combine(output, ReviewSite.FolderName, ReviewSite.StyleSheetName)));
        Assert.False(File.Exists(Path.Combine(output, ReviewSite.PersonPage(1, 1))));
    }
}
