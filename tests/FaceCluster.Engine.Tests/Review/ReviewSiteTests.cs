using System.Text.RegularExpressions;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.Review;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Review;

public class ReviewSiteTests
{
    private static ReviewInput Input(IReadOnlyList<FaceGroup> groups, IReadOnlyDictionary<int, int>? nearest = null,
        IReadOnlyList<FaceManifestFailedPhoto>? failed = null)
    {
        var manifest = ExportPlanner.Plan(groups, "/out", ExportMode.Copy, failed).Manifest;
        return new ReviewInput
        {
            Manifest = manifest,
            ExportKey = "abc123",
            ExportFolder = "/out",
            ExportedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Thumbnails = manifest.Faces.ToDictionary(f => (f.Path, f.FaceIndex), f => $"t{f.FaceIndex}.jpg"),
            NearestPeople = nearest ?? new Dictionary<int, int>(),
        };
    }

    private static FaceEncoding[] Faces(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => Face($"/in/{prefix}{i:D5}.jpg")).ToArray();

    [Fact]
    public void IndexHasOneCardPerPersonLargestFirstWithTheirCounts()
    {
        var site = ReviewSite.Build(Input([Cluster(0, Faces("a", 2)), Cluster(1, Faces("b", 5)), Doubtful(Faces("c", 1))]));
        var index = site.Single(f => f.RelativePath == ReviewSite.IndexFileName).Content;
        var cards = Regex.Matches(index, "<section class=\"card\" id=\"person-(\\d+)\" data-id=\"\\d+\" data-faces=\"(\\d+)\"");
        Assert.Equal(["1:5", "0:2"], cards.Select(m => m.Groups[1].Value + ":" + m.Groups[2].Value));
        Assert.Contains("review/person-1.html", index);
        Assert.Contains("2026-01-02 03:04:05 UTC", index);
    }

    [Fact]
    public void LinksAreRelativeAndPercentEncoded()
    {
        var face = Face("/in/a #1%.jpg"); // '?' would become '_' in the export
        var site = ReviewSite.Build(Input([Cluster(0, face)]));
        var index = site.Single(f => f.RelativePath == ReviewSite.IndexFileName).Content;
        Assert.Contains("href=\"cluster_0/a%20%231%25.jpg\"", index);
        Assert.Contains("src=\"review/thumbnails/t0.jpg\"", index);
        var person = site.Single(f => f.RelativePath == ReviewSite.PersonPage(0, 1)).Content;
        Assert.Contains("href=\"../cluster_0/a%20%231%25.jpg\"", person);
        Assert.Contains("href=\"../review/review.css\"", person);
    }

    [Fact]
    public void TextAndCommandsAreHtmlEncoded()
    {
        var face = Face("/in/<b>&'\".jpg");
        var person = ReviewSite.Build(Input([Cluster(0, face)])).Single(f => f.RelativePath == ReviewSite.PersonPage(0, 1)).Content;
        Assert.DoesNotContain("<b>", person);
        Assert.Contains("data-photo=\"/in/&lt;b&gt;&amp;&#39;&quot;.jpg\"", person);
    }

    [Fact]
    public void EveryPageSaysFirstHowToApplyTheChangesWithTheExportsKey()
    {
        var input = Input([Cluster(0, Face("/in/a.jpg")), Doubtful(Faces("c", 1))]) with { ExportFolder = "/out/it's <here>" };
        var site = ReviewSite.Build(input);
        Assert.Contains(site, f => f.RelativePath == "review/review.js" && f.Content.Contains("Import-FaceClusterCorrection", StringComparison.Ordinal));
        Assert.Contains("window.faceClusterExport = \"abc123\";", site.Single(f => f.RelativePath == "review/export.js").Content, StringComparison.Ordinal);
        foreach (var page in site.Where(f => f.RelativePath.EndsWith(".html", StringComparison.Ordinal)))
        {
            var body = page.Content[(page.Content.IndexOf("</header>\n", StringComparison.Ordinal) + 10)..];
            Assert.StartsWith("<p class=\"apply\" data-folder=\"/out/it&#39;s &lt;here&gt;\">", body);
            Assert.DoesNotContain("abc123", page.Content, StringComparison.Ordinal);
            Assert.Contains("export.js\" defer></script>\n<script src=\"", page.Content, StringComparison.Ordinal);
            Assert.Contains("<code class=\"command\">Import-Module FaceCluster; Import-FaceClusterCorrection -LiteralPath &#39;/out/it&#39;&#39;s &lt;here&gt;&#39; -FilePath &#39;./facecluster-edits.json&#39;</code>", body);
            Assert.Contains("review.js\" defer></script>", page.Content);
        }
    }

    [Fact]
    public void ListsArePagedSoNoPageGrowsWithTheLibrary()
    {
        var people = Enumerable.Range(0, ReviewSite.PeoplePerPage + 1).Select(i => Cluster(i, Face($"/in/p{i}.jpg"))).ToList();
        people.Insert(0, Cluster(ReviewSite.PeoplePerPage + 1, Faces("big", ReviewSite.FacesPerPage + 1)));
        var site = ReviewSite.Build(Input(people));
        var paths = site.Select(f => f.RelativePath).ToHashSet();
        Assert.Contains(ReviewSite.PeoplePage(2), paths);
        Assert.DoesNotContain(ReviewSite.PeoplePage(3), paths);
        Assert.Contains(ReviewSite.PersonPage(ReviewSite.PeoplePerPage + 1, 2), paths);
        var thumbs = Regex.Count(site.Single(f => f.RelativePath == ReviewSite.PersonPage(ReviewSite.PeoplePerPage + 1, 1)).Content, "<img ");
        Assert.Equal(ReviewSite.FacesPerPage, thumbs);
        Assert.Equal(ReviewSite.PeoplePerPage, Regex.Count(site.Single(f => f.RelativePath == ReviewSite.IndexFileName).Content, "class=\"card\""));
        Assert.All(site.Where(f => f.RelativePath.EndsWith(".html")).SelectMany(f => Regex.Matches(f.Content, "<img [^>]*>").Where(m => !m.Value.Contains("representative"))),
            img => Assert.Contains("loading=\"lazy\"", img.Value));
    }

    [Fact]
    public void DoubtfulFacesShowTheirNearestPersonAndDistance()
    {
        var doubtful = new FaceGroup
        {
            Id = -1,
            Label = FaceGroup.DoubtfulLabel,
            Members = [new ClusterMember(Face("/in/odd.jpg"), FaceRole.Noise) { NearestClusterId = 0, NearestClusterDistance = 0.4321 }],
        };
        var page = ReviewSite.Build(Input([Cluster(0, Face("/in/a.jpg")), doubtful])).Single(f => f.RelativePath == ReviewSite.DoubtfulPage(1)).Content;
        Assert.Contains("nearest <a href=\"../review/person-0.html\">cluster_0</a> <span class=\"id\">id 0</span>, distance 0.432", page);
        Assert.Contains("data-nearest=\"0\"", page);
        Assert.Matches("<img class=\"near\" loading=\"lazy\" src=\"../review/thumbnails/t0.jpg\"[^>]* alt=\"Face of cluster_0\"", page);
    }

    [Fact]
    public void MergeIsOfferedIntoTheNearestPerson()
    {
        var site = ReviewSite.Build(Input([Cluster(0, Face("/in/a.jpg")), Cluster(1, Face("/in/b.jpg"))], new Dictionary<int, int> { [1] = 0 }));
        var index = site.Single(f => f.RelativePath == ReviewSite.IndexFileName).Content;
        const string Merge = "data-quick=\"merge\" data-id=\"1\" data-into=\"0\" data-text=\"Merge cluster_1 (id 1) into cluster_0 (id 0)\"";
        Assert.Contains(Merge, index);
        Assert.DoesNotContain("data-id=\"0\" data-into", index);
        Assert.Contains(Merge, site.Single(f => f.RelativePath == ReviewSite.PersonPage(1, 1)).Content);
    }

    private static string Index(IReadOnlyList<ReviewFile> site) => site.Single(f => f.RelativePath == ReviewSite.IndexFileName).Content;

    private static string SummaryRow(string index, string name) =>
        Regex.Match(index, $"<tr><th>{Regex.Escape(name)}</th><td>(.*?)</td></tr>", RegexOptions.Singleline) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no row '{name}'");

    [Fact]
    public void TheSummaryShowsTheModelPackAndTheClusteringSettings()
    {
        var index = Index(ReviewSite.Build(Input(ClusteredWith(LinkageSettings, Cluster(0, Faces("a", 2))))));
        Assert.Equal("test-pack", SummaryRow(index, "Model pack"));
        Assert.Equal("average linkage, cosine distance; faces of one photo kept apart", SummaryRow(index, "Clustering"));
        Assert.Equal("pair threshold 0.4 (the model pack&#39;s default); group threshold 0.52, chosen by the model pack&#39;s library rule",
            SummaryRow(index, "Thresholds"));

        var dbscan = LinkageSettings with
        {
            Algorithm = ClusteringAlgorithm.Dbscan, Metric = DistanceMetric.Euclidean, Epsilon = 0.55, EpsilonSource = SettingSource.Parameter,
            GroupThreshold = null, MinSamples = 3, SeparateSamePhoto = false,
        };
        index = Index(ReviewSite.Build(Input(ClusteredWith(dbscan, Cluster(0, Faces("a", 2))))));
        Assert.Equal("DBSCAN, Euclidean distance; faces of one photo may be one person (-AllowSamePhoto)", SummaryRow(index, "Clustering"));
        Assert.Equal("epsilon 0.55 (-Epsilon), min samples 3", SummaryRow(index, "Thresholds"));

        index = Index(ReviewSite.Build(Input(ClusteredWith(LinkageSettings with { GroupThreshold = null, EpsilonSource = SettingSource.Parameter }, Cluster(0, Faces("a", 2))))));
        Assert.Equal("threshold 0.4 (-Epsilon)", SummaryRow(index, "Thresholds"));

        index = Index(ReviewSite.Build(Input([Cluster(0, Faces("a", 2))])));
        Assert.Equal("not recorded in this export", SummaryRow(index, "Clustering"));
        Assert.DoesNotContain("<th>Thresholds</th>", index);
    }

    [Fact]
    public void TheSummaryListsThePhotosThatFailedWithTheirErrorIdsHtmlEncoded()
    {
        FaceManifestFailedPhoto[] failed =
        [
            new() { Path = "/in/<script>alert(1)</script> & 'x'.jpg", ErrorId = "ImageTruncated", Message = "ends <early>" },
            new() { Path = "/in/clip.mov", ErrorId = "ImageNotAnImage", Message = "a video" },
        ];
        var site = ReviewSite.Build(Input([Cluster(0, Faces("a", 2))], failed: failed));
        var row = SummaryRow(Index(site), "Photos that failed");

        Assert.DoesNotContain("<script>", string.Concat(site.Select(f => f.Content)));
        Assert.Contains("<a href=\"review/failed.html\">2</a>", row);
        Assert.Equal(["/in/&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39;.jpg ImageTruncated", "/in/clip.mov ImageNotAnImage"],
            Regex.Matches(row, "<li><code>(.*?)</code> <span class=\"error-id\">(.*?)</span></li>").Select(m => m.Groups[1].Value + " " + m.Groups[2].Value));
        var page = site.Single(f => f.RelativePath == ReviewSite.FailedPage(1)).Content;
        Assert.Contains("<td class=\"error-id\">ImageNotAnImage</td><td>a video</td>", page);
        Assert.Contains("<td>ends &lt;early&gt;</td>", page);
    }

    [Fact]
    public void FailedPhotosBeyondTheSummaryAreOnPagesOfTheirOwn()
    {
        var failed = Enumerable.Range(0, ReviewSite.FacesPerPage + 1)
            .Select(i => new FaceManifestFailedPhoto { Path = $"/in/bad{i:D4}.jpg", ErrorId = "ImageEmpty", Message = "empty" }).ToArray();
        var site = ReviewSite.Build(Input([Cluster(0, Faces("a", 1))], failed: failed));

        var row = SummaryRow(Index(site), "Photos that failed");
        Assert.Equal(ReviewSite.FailedInSummary, Regex.Count(row, "<li><code>"));
        Assert.Contains(Invariant($">{failed.Length - ReviewSite.FailedInSummary} more</a></li>"), row);
        Assert.Equal(ReviewSite.FacesPerPage, Regex.Count(site.Single(f => f.RelativePath == ReviewSite.FailedPage(1)).Content, "<tr><td>"));
        Assert.Equal(1, Regex.Count(site.Single(f => f.RelativePath == ReviewSite.FailedPage(2)).Content, "<tr><td>"));
    }

    [Fact]
    public void TheSummarySaysWhenFailuresWereNotRecordedAndNoneWhenNoneFailed()
    {
        var site = ReviewSite.Build(Input([Cluster(0, Faces("a", 1))]));
        Assert.Contains("not recorded", SummaryRow(Index(site), "Photos that failed"));
        Assert.DoesNotContain(site, f => f.RelativePath == ReviewSite.FailedPage(1));

        site = ReviewSite.Build(Input([Cluster(0, Faces("a", 1))], failed: []));
        Assert.Equal("0", SummaryRow(Index(site), "Photos that failed"));
        Assert.DoesNotContain(site, f => f.RelativePath == ReviewSite.FailedPage(1));
    }

    private static string Invariant(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
