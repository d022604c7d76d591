using System.Globalization;
using System.Net;
using System.Text;
using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// The review pages of an export, built from its faces.json: <c>index.html</c> in the export folder (a summary, then
/// one card per person, largest first) and, in <see cref="FolderName"/>, further pages of people, one page (or more)
/// of every face per person, the doubtful faces with their nearest person's face, the photos that failed, the style sheet and
/// the script (<see cref="ScriptName"/>) with which the user selects faces and people, makes changes and downloads them as
/// one file for Import-FaceClusterCorrection (the first line of every page says how). The key of the export's faces.json,
/// which those changes carry, is in one small script (<see cref="KeyScriptName"/>), not in the pages: a page whose
/// people and faces did not change is the same from one export to the next, so a sync need not rewrite it. Plain HTML, CSS and script, no
/// external resource: it opens from disk. Every list is paged (<see cref="PeoplePerPage"/>,
/// <see cref="FacesPerPage"/>) and every thumbnail is lazy-loaded, so no page grows with the library beyond a page's
/// worth. Pure: the same input always gives the same pages.
/// </summary>
public static class ReviewSite
{
    public const string IndexFileName = "index.html";
    public const string FolderName = "review";
    public const string ThumbnailFolder = FolderName + "/thumbnails";
    public const string StyleSheetName = "review.css";
    public const string ScriptName = "review.js";

    /// <summary>The script that holds the export's key (<see cref="ReviewInput.ExportKey"/>), the one file every export
    /// of changed faces rewrites; <see cref="ReviewPageWriter"/> writes it after the pages.</summary>
    public const string KeyScriptName = "export.js";

    /// <summary>The name the page gives the file of changes it downloads.</summary>
    public const string EditsFileName = "facecluster-edits.json";
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
            _files.Add(new ReviewFile($"{FolderName}/{ScriptName}", Script));
            _files.Add(new ReviewFile($"{FolderName}/{KeyScriptName}", KeyScript(_input.ExportKey)));
            var peoplePages = PageCount(_people.Length, PeoplePerPage);
            // The first page holds the summary (the time of the export): built every time.
            _files.Add(new ReviewFile(PeoplePage(1), PeopleListPage(1, peoplePages)));
            for (var page = 2; page <= peoplePages; page++)
                _files.Add(KeptOrBuilt(PeoplePage(page), PeopleListPageInputs(page, peoplePages), () => PeopleListPage(page, peoplePages)));
            foreach (var person in _people)
            {
                var faces = _facesByCluster[person.Id].ToArray();
                var pages = PageCount(faces.Length, FacesPerPage);
                for (var page = 1; page <= pages; page++)
                    _files.Add(KeptOrBuilt(PersonPage(person.Id, page), PersonPageInputs(person, faces, page, pages), () => PersonFacesPage(person, faces, page, pages)));
            }
            var doubtful = _facesByCluster[-1].ToArray();
            var doubtfulPages = PageCount(doubtful.Length, FacesPerPage);
            for (var page = 1; page <= doubtfulPages; page++)
                _files.Add(KeptOrBuilt(DoubtfulPage(page), DoubtfulPageInputs(doubtful, page, doubtfulPages), () => DoubtfulFacesPage(doubtful, page, doubtfulPages)));
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
            FaceManifestFace[] doubtful = page == 1 ? _facesByCluster[-1].ToArray() : [];
            if (doubtful.Length > 0)
            {
                var shown = Math.Min(doubtful.Length, StripLength * 2);
                html.Append("<h2>Doubtful faces</h2>\n<p>").Append(Plural(doubtful.Length, "face")).Append(" fit no person well enough")
                    .Append(shown < doubtful.Length ? Invariant($"; the first {shown} are here") : "").Append(". <a href=\"")
                    .Append(Href(prefix, DoubtfulPage(1))).Append("\">See ").Append(shown < doubtful.Length ? "all of them" : "each")
                    .Append(" with the person it lies nearest, to move, hide or make a new person</a>.</p>\n<div class=\"strip\">");
                foreach (var face in doubtful.Take(shown))
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
            html.Append("</div>\n<p class=\"tools\"><button type=\"button\" class=\"pick\" data-person=\"").Append(Count(person.Id)).Append("\" data-label=\"")
                .Append(Text(person.Label)).Append("\" aria-pressed=\"false\" aria-label=\"Select ").Append(Text(person.Label)).Append("\">Select</button></p>\n");
            MergeHint(html, prefix, person);
            html.Append("</div>\n</section>\n");
        }

        /// <summary>The most alike person, and a button that adds the merge into it to the pending changes.</summary>
        private void MergeHint(StringBuilder html, string prefix, FaceManifestCluster person)
        {
            if (!_input.NearestPeople.TryGetValue(person.Id, out var nearest) || !_byId.TryGetValue(nearest, out var other))
                return;
            var text = Invariant($"Merge {person.Label} (id {person.Id}) into {other.Label} (id {other.Id})");
            html.Append("<p class=\"hint\">Most alike: <a href=\"").Append(Href(prefix, PersonPage(other.Id, 1))).Append("\">").Append(Text(other.Label))
                .Append("</a> <span class=\"id\">id ").Append(Count(other.Id)).Append("</span> <button type=\"button\" data-quick=\"merge\" data-id=\"")
                .Append(Count(person.Id)).Append("\" data-into=\"").Append(Count(other.Id)).Append("\" data-text=\"").Append(Text(text))
                .Append("\">Merge into it</button></p>\n");
        }

        /// <summary>The page at <paramref name="path"/>: kept where the writer holds it on disk as it is
        /// (<see cref="ReviewInput.IsKept"/>), else built.</summary>
        private ReviewFile KeptOrBuilt(string path, string inputs, Func<string> build) =>
            _input.IsKept?.Invoke(path, inputs) == true ? new ReviewFile(path, "") { Inputs = inputs, Kept = true } : new ReviewFile(path, build()) { Inputs = inputs };

        /// <summary>Fingerprint of everything a later page of <see cref="PeopleListPage"/> reads: the export folder, the
        /// page's place and each card's person (<see cref="PersonCard"/>): counts, representative, first faces, most
        /// alike person.</summary>
        private string PeopleListPageInputs(int page, int pages)
        {
            var text = new StringBuilder(16 * 1024);
            ReviewPageInputs.Field(text, _input.ExportFolder);
            ReviewPageInputs.Field(text, Invariant($"{page} {pages}"));
            foreach (var person in _people.Skip((page - 1) * PeoplePerPage).Take(PeoplePerPage))
            {
                ReviewPageInputs.Field(text, Invariant($"{person.Id} {person.FaceCount} {person.PhotoCount}"));
                ReviewPageInputs.Field(text, person.Label);
                ReviewPageInputs.Field(text, person.RepresentativeFile);
                foreach (var face in _facesByCluster[person.Id].Take(StripLength))
                    FaceFields(text, face, Invariant($"{face.FaceIndex}"));
                MostAlikeFields(text, person);
            }
            return ReviewPageInputs.Of(text);
        }

        /// <summary>Fingerprint of everything <see cref="PersonFacesPage"/> reads: the export folder (the commands), the
        /// person, its most alike person, the page's place and its faces with their thumbnails. Equal fingerprints, equal
        /// pages (within one <see cref="ReviewPageState.CurrentRule"/>).</summary>
        private string PersonPageInputs(FaceManifestCluster person, FaceManifestFace[] faces, int page, int pages)
        {
            var text = new StringBuilder(16 * 1024);
            ReviewPageInputs.Field(text, _input.ExportFolder);
            ReviewPageInputs.Field(text, page == 1 ? Invariant($"{person.Id} {person.FaceCount} {person.PhotoCount} {page} {pages}") : Invariant($"{person.Id} {page} {pages}"));
            ReviewPageInputs.Field(text, person.Label);
            MostAlikeFields(text, person);
            foreach (var face in faces.Skip((page - 1) * FacesPerPage).Take(FacesPerPage))
                FaceFields(text, face, Invariant($"{face.FaceIndex} {face.ClusterId}"));
            return ReviewPageInputs.Of(text);
        }

        /// <summary>Fingerprint of everything <see cref="DoubtfulFacesPage"/> reads: the export folder, the page's place
        /// (and on the first page the number of doubtful faces), its faces with their thumbnails, gates, distances and
        /// nearest people (their names and faces).</summary>
        private string DoubtfulPageInputs(FaceManifestFace[] faces, int page, int pages)
        {
            var text = new StringBuilder(16 * 1024);
            ReviewPageInputs.Field(text, _input.ExportFolder);
            ReviewPageInputs.Field(text, Invariant($"{page} {pages} {(page == 1 ? faces.Length : -1)}"));
            foreach (var face in faces.Skip((page - 1) * FacesPerPage).Take(FacesPerPage))
            {
                FaceFields(text, face, Invariant($"{face.FaceIndex} {face.ClusterId} {face.Gate} {face.NearestClusterId} {face.NearestClusterDistance:R}"));
                if (face.NearestClusterId is { } id && _byId.TryGetValue(id, out var person))
                {
                    ReviewPageInputs.Field(text, person.Label);
                    ReviewPageInputs.Field(text, person.RepresentativePath is { } at && _input.Thumbnails.TryGetValue((at, person.RepresentativeFaceIndex ?? 0), out var near) ? near : null);
                }
            }
            return ReviewPageInputs.Of(text);
        }

        /// <summary>A face's fields in a page's fingerprint: its photo, <paramref name="shown"/> (what the page shows of
        /// it beyond those), where its copy lies and its thumbnail.</summary>
        private void FaceFields(StringBuilder text, FaceManifestFace face, string shown)
        {
            ReviewPageInputs.Field(text, face.Path);
            ReviewPageInputs.Field(text, shown);
            ReviewPageInputs.Field(text, face.Destination);
            ReviewPageInputs.Field(text, _input.Thumbnails.TryGetValue((face.Path, face.FaceIndex), out var file) ? file : null);
        }

        /// <summary>The fields of <paramref name="person"/>'s most alike person (<see cref="MergeHint"/>), or one empty
        /// field where it has none.</summary>
        private void MostAlikeFields(StringBuilder text, FaceManifestCluster person)
        {
            if (_input.NearestPeople.TryGetValue(person.Id, out var nearest) && _byId.TryGetValue(nearest, out var other))
            {
                ReviewPageInputs.Field(text, Count(other.Id));
                ReviewPageInputs.Field(text, other.Label);
            }
            else
            {
                ReviewPageInputs.Field(text, null);
            }
        }

        private string PersonFacesPage(FaceManifestCluster person, FaceManifestFace[] faces, int page, int pages)
        {
            var title = pages == 1 ? person.Label : Invariant($"{person.Label}, page {page} of {pages}");
            var html = Start(Inside, title);
            // The person's counts on the first page only: a later page whose faces did not change stays as it is when
            // the person grows.
            var first = (page - 1) * FacesPerPage;
            html.Append("<p class=\"counts\" data-page-person=\"").Append(Count(person.Id)).Append("\" data-label=\"").Append(Text(person.Label)).Append("\">")
                .Append(page == 1 ? Plural(person.FaceCount, "face") + " in " + Plural(person.PhotoCount, "photo")
                    : Invariant($"faces {first + 1} to {first + Math.Min(FacesPerPage, faces.Length - first)}"))
                .Append(" · id ").Append(Count(person.Id)).Append(" · select faces to move, hide, take out or split off; Name (N) names this person</p>\n");
            MergeHint(html, Inside, person);
            Pager(html, Inside, page, pages, p => PersonPage(person.Id, p));
            html.Append("<div class=\"faces\">\n");
            foreach (var face in faces.Skip((page - 1) * FacesPerPage).Take(FacesPerPage))
            {
                html.Append("<figure>");
                FaceButton(html, face, nearest: null);
                html.Append("<figcaption>");
                PhotoLink(html, Inside, face);
                html.Append("</figcaption></figure>\n");
            }
            html.Append("</div>\n");
            Pager(html, Inside, page, pages, p => PersonPage(person.Id, p));
            return End(html);
        }

        private string DoubtfulFacesPage(FaceManifestFace[] faces, int page, int pages)
        {
            var html = Start(Inside, pages == 1 ? "Doubtful faces" : Invariant($"Doubtful faces, page {page} of {pages}"));
            // The number of faces on the first page only: a later page whose faces did not change stays as it is.
            html.Append("<p>").Append(page == 1 ? Plural(faces.Length, "face") : "Faces that").Append(" fit no person well enough")
                .Append(pages == 1 ? "" : Invariant($", {FacesPerPage} a page")).Append(", each beside the face of the person it lies nearest and the distance to it (")
                .Append("in the clustering's metric; smaller is nearer). Select faces to move to a person, make a new person or hide.")
                .Append(" Those marked <em>not a face, probably</em> were set aside by the face gate and never join a person by themselves; ")
                .Append("to restore one, select it and move it to a person or to a new person.</p>\n");
            Pager(html, Inside, page, pages, DoubtfulPage);
            html.Append("<div class=\"faces\">\n");
            foreach (var face in faces.Skip((page - 1) * FacesPerPage).Take(FacesPerPage))
            {
                var nearest = face.NearestClusterId is { } id && _byId.TryGetValue(id, out var person) && id >= 0 ? person : null;
                html.Append("<figure class=\"doubtful\"><div class=\"pair\">");
                FaceButton(html, face, nearest);
                if (nearest is not null)
                    RepresentativeThumbnail(html, nearest);
                html.Append("</div><figcaption>");
                PhotoLink(html, Inside, face);
                html.Append("<br>");
                if (face.Gate is { } gate)
                    GatedCaption(html, gate);
                else if (nearest is not null)
                    html.Append("nearest <a href=\"").Append(Href(Inside, PersonPage(nearest.Id, 1))).Append("\">").Append(Text(nearest.Label)).Append("</a> <span class=\"id\">id ")
                        .Append(Count(nearest.Id)).Append("</span>, distance ")
                        .Append(Text((face.NearestClusterDistance ?? double.NaN).ToString("0.000", CultureInfo.InvariantCulture)))
                        .Append(" <button type=\"button\" data-quick=\"move\" data-into=\"").Append(Count(nearest.Id)).Append("\">Is ").Append(Text(nearest.Label)).Append("</button>");
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
            return gated == 0 ? "0" : $"{Count(gated)} of the doubtful faces, set aside by the face gate: each says why; move one to a person to restore it";
        }

        /// <summary>Why the face gate set a face aside.</summary>
        private static void GatedCaption(StringBuilder html, FaceGateReason gate) =>
            html.Append("<span class=\"gate\">not a face, probably: ").Append(Text(gate switch
            {
                FaceGateReason.LowScore => "low detector score",
                FaceGateReason.Fragment => "small, beside a larger face",
                _ => "inside a larger face",
            })).Append("</span><br>");

        private string FailedPhotosPage(IReadOnlyList<FaceManifestFailedPhoto> failed, int page, int pages)
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

        /// <summary>A face to select: its thumbnail in a button that carries the face's photo, index and person (and
        /// the <paramref name="nearest"/> person of a doubtful face, the one a move offers first).</summary>
        private void FaceButton(StringBuilder html, FaceManifestFace face, FaceManifestCluster? nearest)
        {
            html.Append("<button type=\"button\" class=\"pick face\" aria-pressed=\"false\" data-photo=\"").Append(Text(face.Path)).Append("\" data-face=\"")
                .Append(Count(face.FaceIndex)).Append("\" data-person=\"").Append(Count(face.ClusterId)).Append('"');
            if (nearest is not null)
                html.Append(" data-nearest=\"").Append(Count(nearest.Id)).Append('"');
            html.Append('>');
            if (_input.Thumbnails.TryGetValue((face.Path, face.FaceIndex), out var file))
                html.Append("<img loading=\"lazy\" src=\"").Append(Href(Inside, ThumbnailFolder + "/" + file)).Append("\" width=\"64\" height=\"64\" alt=\"")
                    .Append(Text(FaceName(face))).Append("\">");
            else
                html.Append("<span class=\"nothumb\">").Append(Text(FaceName(face))).Append("</span>");
            html.Append("</button>");
        }

        /// <summary>The thumbnail of <paramref name="person"/>'s representative face, to compare a doubtful face with.</summary>
        private void RepresentativeThumbnail(StringBuilder html, FaceManifestCluster person)
        {
            var label = Text("Face of " + person.Label);
            if (person.RepresentativePath is { } path && _input.Thumbnails.TryGetValue((path, person.RepresentativeFaceIndex ?? 0), out var file))
                html.Append("<img class=\"near\" loading=\"lazy\" src=\"").Append(Href(Inside, ThumbnailFolder + "/" + file)).Append("\" width=\"64\" height=\"64\" alt=\"")
                    .Append(label).Append("\" title=\"").Append(label).Append("\">");
        }

        /// <summary>The face's name, linking to its photo in the export.</summary>
        private static void PhotoLink(StringBuilder html, string prefix, FaceManifestFace face) =>
            html.Append("<a href=\"").Append(Href(prefix, face.Destination)).Append("\" title=\"").Append(Text(face.Path)).Append("\">").Append(Text(FaceName(face))).Append("</a>");

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

        private StringBuilder Start(string prefix, string title)
        {
            var html = new StringBuilder(64 * 1024);
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .Append(Text(title)).Append(" - FaceCluster review</title>\n")
                .Append("<link rel=\"stylesheet\" href=\"").Append(Href(prefix, $"{FolderName}/{StyleSheetName}")).Append("\">\n")
                .Append("<script src=\"").Append(Href(prefix, $"{FolderName}/{KeyScriptName}")).Append("\" defer></script>\n")
                .Append("<script src=\"").Append(Href(prefix, $"{FolderName}/{ScriptName}")).Append("\" defer></script>\n</head>\n<body>\n<header><a href=\"")
                .Append(Href(prefix, IndexFileName)).Append("\">FaceCluster review</a></header>\n");
            html.Append("<p class=\"apply\" data-folder=\"").Append(Text(_input.ExportFolder))
                .Append("\">To change the people, select faces or people (click, or Tab and Enter), choose an action in the bar below, ")
                .Append("download the changes (D), then run in PowerShell, in the folder they were downloaded to (the browser may add a number to the name): ")
                .Append("<code class=\"command\">").Append(Text(_commands.Apply(EditsFileName))).Append("</code> ")
                .Append("and rerun Invoke-FaceCluster -Previous and Export-FaceCluster.</p>\n<h1>").Append(Text(title)).Append("</h1>\n");
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

    /// <summary>export.js: the export's key, read by review.js (deferred scripts run in order).</summary>
    private static string KeyScript(string exportKey) =>
        "// The key of this export's faces.json, which the downloaded changes carry.\nwindow.faceClusterExport = "
        + System.Text.Json.JsonSerializer.Serialize(exportKey) + ";\n";

    /// <summary>review.js, kept beside this file and embedded in the assembly.</summary>
    private static readonly string Script = ReadScript();

    private static string ReadScript()
    {
        using var stream = typeof(ReviewSite).Assembly.GetManifestResourceStream("FaceCluster.Engine.Review.review.js")
            ?? throw new InvalidOperationException("review.js is not embedded in the engine assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
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
        .apply { margin: .6rem 0; padding: .5rem .7rem; background: #eef4ff; border: 1px solid #c9d8f5; border-radius: 4px; }
        .apply code.command { margin-top: .3rem; }
        button { font: inherit; cursor: pointer; }
        button.pick.face { display: block; padding: 0; border: 3px solid transparent; border-radius: 5px; background: none; }
        button.pick[aria-pressed="true"] { border-color: #1f5fd6; background: #dbe7ff; }
        button.pick:focus-visible, .editbar button:focus-visible { outline: 3px solid #f0a000; outline-offset: 1px; }
        button.pick.edited { opacity: .55; border-style: dashed; border-color: #999; }
        .tools, .hint { margin: .3rem 0 0; font-size: .85rem; }
        .pair { display: flex; gap: 6px; align-items: center; }
        img.near { border-radius: 3px; background: #eee; }
        body { padding-bottom: 10rem; }
        .editbar { position: fixed; left: 0; right: 0; bottom: 0; background: #fff; border-top: 2px solid #c9d8f5; padding: .4rem 1.5rem;
            display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; max-height: 45vh; overflow: auto; }
        .editbar .selection { font-weight: 600; min-width: 9rem; }
        .editbar .ask, .editbar .pending, .editbar .message { flex-basis: 100%; margin: 0; }
        .editbar .pending ol { margin: .2rem 0; }
        kbd { font: 11px ui-monospace, monospace; border: 1px solid #bbb; border-radius: 3px; padding: 0 .2rem; background: #f6f6f6; }

        """;
}
