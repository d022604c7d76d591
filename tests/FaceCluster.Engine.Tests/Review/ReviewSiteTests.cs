using System.Text.RegularExpressions;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.Review;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Review;

public class ReviewSiteTests
{
    private static ReviewInput Input(IReadOnlyList<FaceGroup> groups, IReadOnlyDictionary<int, int>? nearest = null)
    {
        var manifest = ExportPlanner.Plan(groups, "/out", ExportMode.Copy).Manifest;
        return new ReviewInput
        {
            Manifest = manifest,
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
        var face = Face("/in/a #1?.jpg");
        var site = ReviewSite.Build(Input([Cluster(0, face)]));
        var index = site.Single(f => f.RelativePath == ReviewSite.IndexFileName).Content;
        Assert.Contains("href=\"cluster_0/a%20%231%3F.jpg\"", index);
        Assert.Contains("src=\"review/thumbnails/t0.jpg\"", index);
        var person = site.Single(f => f.RelativePath == ReviewSite.PersonPage(0, 1)).Content;
        Assert.Contains("href=\"../cluster_0/a%20%231%3F.jpg\"", person);
        Assert.Contains("href=\"../review/review.css\"", person);
    }

    [Fact]
    public void TextAndCommandsAreHtmlEncoded()
    {
        var face = Face("/in/<b>&'.jpg");
        var person = ReviewSite.Build(Input([Cluster(0, face)])).Single(f => f.RelativePath == ReviewSite.PersonPage(0, 1)).Content;
        Assert.DoesNotContain("<b>", person);
        Assert.Contains("-Photo &#39;/in/&lt;b&gt;&amp;&#39;&#39;.jpg&#39;", person);
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
        Assert.Contains("nearest <a href=\"../review/person-0.html\">cluster_0</a>, distance 0.432", page);
    }

    [Fact]
    public void MergeIsOfferedIntoTheNearestPerson()
    {
        var site = ReviewSite.Build(Input([Cluster(0, Face("/in/a.jpg")), Cluster(1, Face("/in/b.jpg"))], new Dictionary<int, int> { [1] = 0 }));
        var index = site.Single(f => f.RelativePath == ReviewSite.IndexFileName).Content;
        Assert.Contains("Merge-FaceCluster -LiteralPath &#39;/out&#39; -Id 1 -Into 0", index);
        Assert.DoesNotContain("-Id 0 -Into", index);
        Assert.Contains("Merge-FaceCluster -LiteralPath &#39;/out&#39; -Id 1 -Into 0", site.Single(f => f.RelativePath == ReviewSite.PersonPage(1, 1)).Content);
    }
}
