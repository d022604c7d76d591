using System.Globalization;
using System.Net;
using System.Text;
using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// The review pages of an export, built from its faces.json: <c>index.html</c> in the export folder (a summary, then
/// one card per person, largest first) and, in <see cref="FolderName"/>, further pages of people, one page (or more)
/// of every face per person, the doubtful faces with their nearest person, the photos that failed, and the style sheet. Plain HTML and CSS
/// with no script, no external resource: it opens from disk. Every list is paged (<see cref="PeoplePerPage"/>,
/// <see cref="FacesPerPage"/>) and every thumbnail is lazy-loaded, so no page grows with the library beyond a page's
/// worth. Pure: the same input always gives the same pages.
/// </summary>
public static class ReviewSite
{
    public const string IndexFileName = "index.html";
    public const string FolderName = "review";
    public const string ThumbnailFolder = FolderName + "/thumbnails";
    public const string StyleSheetName = "review.css";
    public const int PeoplePerPage = 100;
    public const int FacesPerPage = 500;

    /// <summary>Thumbnails in a person's card; the rest are on the person's page.</summary>
    public const int StripLength = 8;

    /// <summary>Photos that failed listed in the summary; all of them are on their own pages.</summary>
    public const int FailedInSummary = 10;

    private const string Inside = "../";

    public static IReadOnlyList<ReviewFile> Build(ReviewInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var site = new SiteWriter(input);
        return site.Build();
    }

    /// <summary>The relative path of page <paramref name="page"/> (1-based) of the people list.</summary>
    public static string PeoplePage(int page) => page == 1 ? IndexFileName : Invariant($"{FolderName}/people-{page}.html");

    /// <summary>The relative path of page <paramref name="page"/> (1-based) of one person's faces.</summary>
    public static string PersonPage(int id, int page) => page == 1 ? Invariant($"{FolderName}/person-{id}.html") : Invariant($"{FolderName}/person-{id}-{page}.html");

    /// <summary>The relative path of page <paramref name="page"/> (1-based) of the doubtful faces.</summary>
    public static string DoubtfulPage(int page) => page == 1 ? $"{FolderName}/doubtful.html" : Invariant($"{FolderName}/doubtful-{page}.html");

    /// <summary>The relative path of page <paramref name="page"/> (1-based) of the photos that failed.</summary>
    public static string FailedPage(int page) => page == 1 ? $"{FolderName}/failed.html" : Invariant($"{FolderName}/failed-{page}.html");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class SiteWriter
    {
        private readonly ReviewInput _input;
        private readonly ReviewCommands _commands;
        private readonly FaceManifestCluster[] _people;
        private readonly Dictionary<int, FaceManifestCluster> _byId;
        private readonly ILookup<int, FaceManifestFace> _facesByCluster;
        private readonly List<ReviewFile> _files = new();

        public SiteWriter(ReviewInput input)
        {
            _input = input;
            _commands = new ReviewCommands(input.ExportFolder);
            _people = input.Manifest.Clusters.Where(c => c.Id >= 0).OrderByDescending(c => c.FaceCount).ThenBy(c => c.Id).ToArray();
            _byId = input.Manifest.Clusters.ToDictionary(c => c.Id);
            _facesByCluster = input.Manifest.Faces.ToLookup(f => f.ClusterId);
        }

        public IReadOnlyList<ReviewFile> Build()
        {
            _files.Add(new ReviewFile($"{FolderName}/{StyleSheetName}", StyleSheet));
            var peoplePages = PageCount(_people.Length, PeoplePerPage);
            for (var page = 1; page <= peoplePages; page++)
                _files.Add(new ReviewFile(PeoplePage(page), PeopleListPage(page, peoplePages)));
            foreach (var person in _people)
            {
                var faces = _facesByCluster[person.Id].ToArray();
                var pages = PageCount(faces.Length, FacesPerPage);
                for (var page = 1; page <= pages; page++)
                    _files.Add(new ReviewFile(PersonPage(person.Id, page), PersonFacesPage(person, faces, page, pages)));
            }
            var doubtful = _facesByCluster[-1].ToArray();
            var doubtfulPages = PageCount(doubtful.Length, FacesPerPage);
            for (var page = 1; page <= doubtfulPages; page++)
                _files.Add(new ReviewFile(DoubtfulPage(page), DoubtfulFacesPage(doubtful, page, doubtfulPages)));
            var failed = _input.Manifest.FailedPhotos ?? [];
            var failedPages = failed.Count == 0 ? 0 : PageCount(failed.Count, FacesPerPage);
            for (var page = 1; page <= failedPages; page++)
                _files.Add(new ReviewFile(FailedPage(page), FailedPhotosPage(failed, page, failedPages)));
            return _files;
        }

        private static int PageCount(int items, int perPage) => Math.Max(1, (items + perPage - 1) / perPage);

        private string PeopleListPage(int page, int pages)
        {
            var prefix = page == 1 ? "" : Inside;
            var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(_input.ExportFolder));
            var html = Start(prefix, page == 1 ? folder : Invariant($"{folder}: people, page {page} of {pages}"));
            if (page == 1)
            {
                Summary(html, prefix);
                html.Append("<h2>People</h2>\n");
            }

            Pager(html, prefix, page, pages, PeoplePage);
            html.Append("<div class=\"people\">\n");
            foreach (var person in _people.Skip((page - 1) * PeoplePerPage).Take(PeoplePerPage))
                PersonCard(html, prefix, person);
            html.Append("</div>\n");
            Pager(html, prefix, page, pages, PeoplePage);
            var doubtful = _facesByCluster[-1].ToArray();
            if (page == 1 && doubtful.Length > 0)
            {
                html.Append("<h2>Doubtful faces</h2>\n<p>").Append(Plural(doubtful.Length, "face")).Append(" fit no person well enough. <a href=\"")
                    .Append(Href(prefix, DoubtfulPage(1))).Append("\">See each with the person it lies nearest</a>.</p>\n<div class=\"strip\">");
                foreach (var face in doubtful.Take(StripLength * 2))
                    Thumbnail(html, prefix, face);
                html.Append("</div>\n");
            }
            return End(html);
        }

        private void Summary(StringBuilder html, string prefix)
        {
            var manifest = _input.Manifest;
            var doubtful = _facesByCluster[-1].Count();
            var photos = manifest.Faces.Select(f => f.Path).Distinct(StringComparer.Ordinal).Count();
            var models = string.Join(", ", manifest.Faces.Select(f => f.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            html.Append("<table class=\"summary\">\n");
            Row(html, "Photos with faces", Count(photos));
            Row(html, "Faces", Count(manifest.Faces.Count));
            Row(html, "People", Count(_people.Length));
            Row(html, "Doubtful faces", doubtful == 0 ? "0" : $"<a href=\"{Href(prefix, DoubtfulPage(1))}\">{Count(doubtful)}</a>");
            Row(html, "Not faces, probably", Text(GatedSummary()));
            Row(html, "Photos that failed", FailedSummary(prefix));
            Row(html, "Model pack", Text(models.Length == 0 ? "none" : models));
            Row(html, "Clustering", Text(manifest.Clustering is { } settings ? Method(settings) : "not recorded in this export"));
            if (manifest.Clustering is { } used)
                Row(html, "Thresholds", Text(Thresholds(used)));
            Row(html, "Export", Text(Invariant($"-Mode {manifest.Mode}, FaceCluster {manifest.ToolVersion}")));
            Row(html, "Exported", Text(_input.ExportedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
            Row(html, "Folder", $"<code>{Text(_input.ExportFolder)}</code>");
            html.Append("</table>\n");
        }

        /// <summary>How many photos failed, the first few with their error ids, and a link to all of them.</summary>
        private string FailedSummary(string prefix)
        {
            if (_input.Manifest.FailedPhotos is not { } failed)
                return Text("not recorded: pass Get-FaceEncoding's errors with Export-FaceCluster -EncodingError");
            if (failed.Count == 0)
                return "0";
            var html = new StringBuilder();
            html.Append("<a href=\"").Append(Href(prefix, FailedPage(1))).Append("\">").Append(Count(failed.Count)).Append("</a>\n<ul class=\"failed\">\n");
            foreach (var photo in failed.Take(FailedInSummary))
                html.Append("<li><code>").Append(Text(photo.Path)).Append("</code> <span class=\"error-id\">").Append(Text(photo.ErrorId)).Append("</span></li>\n");
            if (failed.Count > FailedInSummary)
                html.Append("<li><a href=\"").Append(Href(prefix, FailedPage(1))).Append("\">").Append(Count(failed.Count - FailedInSummary)).Append(" more</a></li>\n");
            return html.Append("</ul>").ToString();
        }

        private static string Method(ClusteringSettings settings)
        {
            var method = settings.Algorithm == ClusteringAlgorithm.Dbscan ? "DBSCAN" : "average linkage";
            var metric = settings.Metric == DistanceMetric.Cosine ? "cosine distance" : "Euclidean distance";
            var samePhoto = settings.SeparateSamePhoto ? "faces of one photo kept apart" : "faces of one photo may be one person (-AllowSamePhoto)";
            return $"{method}, {metric}; {samePhoto}";
        }

        private static string Thresholds(ClusteringSettings settings)
        {
            var source = settings.EpsilonSource == SettingSource.Parameter ? "-Epsilon" : "the model pack's default";
            var epsilon = Number(settings.Epsilon);
            if (settings.Algorithm == ClusteringAlgorithm.Dbscan)
                return $"epsilon {epsilon} ({source}), min samples {(settings.MinSamples is { } n ? Count(n) : "unknown")}";
            return settings.GroupThreshold is { } group
                ? $"pair threshold {epsilon} ({source}); group threshold {Number(group)}, chosen by the model pack's library rule"
                : $"threshold {epsilon} ({source})";
        }

        private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

        private static void Row(StringBuilder html, string name, string valueHtml) =>
            html.Append("<tr><th>").Append(Text(name)).Append("</th><td>").Append(valueHtml).Append("</td></tr>\n");

        private void PersonCard(StringBuilder html, string prefix, FaceManifestCluster person)
        {
            var faces = _facesByCluster[person.Id];
            var anchor = Invariant($"person-{person.Id}");
            html.Append("<section class=\"card\" id=\"").Append(anchor).Append("\" data-id=\"").Append(Count(person.Id))
                .Append("\" data-faces=\"").Append(Count(person.FaceCount)).Append("\" data-photos=\"").Append(Count(person.PhotoCount)).Append("\">\n");
            if (person.RepresentativeFile is { } representative)
                html.Append("<img class=\"representative\" src=\"").Append(Href(prefix, representative)).Append("\" width=\"128\" height=\"128\" alt=\"")
                    .Append(Text("Representative face of " + person.Label)).Append("\">\n");
            html.Append("<div class=\"about\">\n<h3>").Append(Text(person.Label)).Append(" <span class=\"id\">id ").Append(Count(person.Id)).Append("</span></h3>\n")
                .Append("<p class=\"counts\">").Append(Plural(person.FaceCount, "face")).Append(" in ").Append(Plural(person.PhotoCount, "photo"))
                .Append(" · <a href=\"").Append(Href(prefix, PersonPage(person.Id, 1))).Append("\">all faces</a></p>\n");
            html.Append("<div class=\"strip\">");
            foreach (var face in faces.Take(StripLength))
                Thumbnail(html, prefix, face);
            html.Append("</div>\n");
            Corrections(html, person);
            html.Append("</div>\n</section>\n");
        }

        /// <summary>The commands that name the person and merge it into the most alike one.</summary>
        private void Corrections(StringBuilder html, FaceManifestCluster person)
        {
            Command(html, "Name this person", _commands.Rename(person.Id));
            if (_input.NearestPeople.TryGetValue(person.Id, out var nearest) && _byId.TryGetValue(nearest, out var other))
                Command(html, Invariant($"Merge into {other.Label} (id {other.Id}), the most alike person"), _commands.Merge(person.Id, other.Id));
        }

        private string PersonFacesPage(FaceManifestCluster person, FaceManifestFace[] faces, int page, int pages)
        {
            var title = pages == 1 ? person.Label : Invariant($"{person.Label}, page {page} of {pages}");
            var html = Start(Inside, title);
            html.Append("<p class=\"counts\">").Append(Plural(person.FaceCount, "face")).Append(" in ").Append(Plural(person.PhotoCount, "photo"))
                .Append(" · id ").Append(Count(person.Id)).Append("</p>\n");
            Corrections(html, person);
            Pager(html, Inside, page, pages, p => PersonPage(person.Id, p));
            html.Append("<div class=\"faces\">\n");
            foreach (var face in faces.Skip((page - 1) * FacesPerPage).Take(FacesPerPage))
            {
                html.Append("<figure>");
                Thumbnail(html, Inside, face);
                html.Append("<figcaption>").Append(Text(FaceName(face))).Append("<details><summary>Not this person</summary>");
                Code(html, _commands.RemoveMember(person.Id, face.Path, face.FaceIndex));
                html.Append("</details></figcaption></figure>\n");
            }
            html.Append("</div>\n");
            Pager(html, Inside, page, pages, p => PersonPage(person.Id, p));
            return End(html);
        }

        private string DoubtfulFacesPage(FaceManifestFace[] faces, int page, int pages)
        {
            var html = Start(Inside, pages == 1 ? "Doubtful faces" : Invariant($"Doubtful faces, page {page} of {pages}"));
            html.Append("<p>Faces that fit no person well enough, each with the person it lies nearest and the distance to it (")
                .Append("in the clustering's metric; smaller is nearer). Those marked <em>not a face, probably</em> were set aside by the face gate ")
                .Append("and never join a person; restore one with the command under it.</p>\n");
            Pager(html, Inside, page, pages, DoubtfulPage);
            html.Append("<div class=\"faces\">\n");
            foreach (var face in faces.Skip((page - 1) * FacesPerPage).Take(FacesPerPage))
            {
                html.Append("<figure>");
                Thumbnail(html, Inside, face);
                html.Append("<figcaption>").Append(Text(FaceName(face))).Append("<br>");
                if (face.Gate is { } gate)
                    GatedCaption(html, face, gate);
                else if (face.NearestClusterId is { } id && _byId.TryGetValue(id, out var nearest))
                    html.Append("nearest <a href=\"").Append(Href(Inside, PersonPage(id, 1))).Append("\">").Append(Text(nearest.Label)).Append("</a>, distance ")
                        .Append(Text((face.NearestClusterDistance ?? double.NaN).ToString("0.000", CultureInfo.InvariantCulture)));
                else
                    html.Append("no person near");
                html.Append("</figcaption></figure>\n");
            }
            html.Append("</div>\n");
            Pager(html, Inside, page, pages, DoubtfulPage);
            return End(html);
        }

        /// <summary>How many doubtful faces the face-quality gate set aside (they are on the doubtful pages).</summary>
        private string GatedSummary()
        {
            var gated = _facesByCluster[-1].Count(f => f.Gate is not null);
            return gated == 0 ? "0" : $"{Count(gated)} of the doubtful faces, set aside by the face gate: each says why, and how to restore it";
        }

        /// <summary>Why the face gate set a face aside, and the command that restores it.</summary>
        private void GatedCaption(StringBuilder html, FaceManifestFace face, FaceGateReason gate)
        {
            html.Append("<span class=\"gate\">not a face, probably: ").Append(Text(gate switch
            {
                FaceGateReason.LowScore => "low detector score",
                FaceGateReason.Fragment => "small, beside a larger face",
                _ => "inside a larger face",
            })).Append("</span><details><summary>It is a face</summary>");
            Code(html, _commands.RestoreGated(face.Path, face.FaceIndex));
            html.Append("</details>");
        }

        private static string FailedPhotosPage(IReadOnlyList<FaceManifestFailedPhoto> failed, int page, int pages)
        {
            var html = Start(Inside, pages == 1 ? "Photos that failed" : Invariant($"Photos that failed, page {page} of {pages}"));
            html.Append("<p>Photos Get-FaceEncoding could not read, with the id and message of its error. Their faces are not in this export.</p>\n");
            Pager(html, Inside, page, pages, FailedPage);
            html.Append("<table class=\"failed\">\n<tr><th>Photo</th><th>Error id</th><th>Message</th></tr>\n");
            foreach (var photo in failed.Skip((page - 1) * FacesPerPage).Take(FacesPerPage))
                html.Append("<tr><td><code>").Append(Text(photo.Path)).Append("</code></td><td class=\"error-id\">").Append(Text(photo.ErrorId))
                    .Append("</td><td>").Append(Text(photo.Message)).Append("</td></tr>\n");
            html.Append("</table>\n");
            Pager(html, Inside, page, pages, FailedPage);
            return End(html);
        }

        private void Thumbnail(StringBuilder html, string prefix, FaceManifestFace face)
        {
            html.Append("<a href=\"").Append(Href(prefix, face.Destination)).Append("\" title=\"").Append(Text(face.Path)).Append("\">");
            if (_input.Thumbnails.TryGetValue((face.Path, face.FaceIndex), out var file))
                html.Append("<img loading=\"lazy\" src=\"").Append(Href(prefix, ThumbnailFolder + "/" + file)).Append("\" width=\"64\" height=\"64\" alt=\"")
                    .Append(Text(FaceName(face))).Append("\">");
            else
                html.Append("<span class=\"nothumb\">").Append(Text(FaceName(face))).Append("</span>");
            html.Append("</a>");
        }

        private static void Command(StringBuilder html, string what, string command)
        {
            html.Append("<p class=\"action\">").Append(Text(what)).Append("</p>");
            Code(html, command);
            html.Append('\n');
        }

        private static void Code(StringBuilder html, string command) =>
            html.Append("<code class=\"command\">").Append(Text(command)).Append("</code>");

        private static void Pager(StringBuilder html, string prefix, int page, int pages, Func<int, string> pageFile)
        {
            if (pages == 1)
                return;
            html.Append("<nav class=\"pager\">");
            for (var p = 1; p <= pages; p++)
            {
                if (p == page)
                    html.Append("<strong>").Append(Count(p)).Append("</strong> ");
                else
                    html.Append("<a href=\"").Append(Href(prefix, pageFile(p))).Append("\">").Append(Count(p)).Append("</a> ");
            }
            html.Append("</nav>\n");
        }

        private static StringBuilder Start(string prefix, string title)
        {
            var html = new StringBuilder(64 * 1024);
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .Append(Text(title)).Append(" - FaceCluster review</title>\n")
                .Append("<link rel=\"stylesheet\" href=\"").Append(Href(prefix, $"{FolderName}/{StyleSheetName}")).Append("\">\n</head>\n<body>\n<header><a href=\"")
                .Append(Href(prefix, IndexFileName)).Append("\">FaceCluster review</a></header>\n<h1>").Append(Text(title)).Append("</h1>\n");
            return html;
        }

        private static string End(StringBuilder html) => html.Append("</body>\n</html>\n").ToString();

        private static string FaceName(FaceManifestFace face) => Invariant($"{Path.GetFileName(face.Path)}, face {face.FaceIndex}");

        private static string Plural(int n, string noun) => Count(n) + " " + noun + (n == 1 ? "" : "s");

        private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

        private static string Text(string text) => WebUtility.HtmlEncode(text);

        /// <summary>An attribute-ready link from a page at <paramref name="prefix"/> to an export-relative path, each
        /// segment percent-encoded (file names may hold '#', '?', '%' or spaces).</summary>
        private static string Href(string prefix, string relativePath) =>
            Text(prefix + string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString)));
    }

    private const string StyleSheet = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5rem 2rem; color: #222; background: #fafafa; }
        header { padding: .6rem 0; border-bottom: 1px solid #ddd; }
        header a { color: #555; text-decoration: none; font-weight: 600; }
        h1 { font-size: 1.5rem; margin: 1rem 0 .5rem; }
        h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
        h3 { font-size: 1.05rem; margin: 0 0 .2rem; overflow-wrap: anywhere; }
        .id { color: #888; font-weight: normal; font-size: .85rem; }
        table.summary { border-collapse: collapse; }
        table.summary th { text-align: left; padding: .15rem 1rem .15rem 0; color: #555; font-weight: 600; vertical-align: top; }
        table.summary td { padding: .15rem 0; }
        .people { display: grid; grid-template-columns: repeat(auto-fill, minmax(34rem, 1fr)); gap: 1rem; }
        .card { display: flex; gap: 1rem; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .8rem; }
        .card .about { min-width: 0; flex: 1; }
        .representative { border-radius: 4px; flex: none; background: #eee; }
        .counts { margin: 0 0 .4rem; color: #444; }
        .strip { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: .4rem; }
        .strip img, .faces img { display: block; border-radius: 3px; background: #eee; }
        .faces { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .6rem; margin: .8rem 0; }
        figure { margin: 0; background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: .4rem; }
        figcaption { font-size: .8rem; overflow-wrap: anywhere; margin-top: .3rem; }
        .nothumb { display: inline-block; width: 64px; height: 64px; font-size: .6rem; overflow: hidden; background: #eee; }
        .action { margin: .4rem 0 .1rem; font-size: .8rem; color: #555; }
        code.command { display: block; user-select: all; font: 12px/1.35 ui-monospace, monospace; background: #f1f1f1;
            border: 1px solid #ddd; border-radius: 3px; padding: .3rem .4rem; overflow-wrap: anywhere; white-space: pre-wrap; }
        details summary { cursor: pointer; color: #555; }
        ul.failed { margin: .2rem 0; padding-left: 1.2rem; }
        ul.failed code, table.failed code { overflow-wrap: anywhere; }
        .error-id { font-weight: 600; }
        .gate { color: #8a4b00; }
        table.failed { border-collapse: collapse; margin: .8rem 0; }
        table.failed th, table.failed td { text-align: left; vertical-align: top; padding: .2rem .8rem .2rem 0; border-bottom: 1px solid #ddd; }
        .pager { margin: .8rem 0; }
        .pager a, .pager strong { padding: 0 .25rem; }

        """;
}
