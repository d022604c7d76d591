using System.Collections.Concurrent;
using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// Writes an export's review pages (<see cref="ReviewSite"/>) and the thumbnails they show (<see cref="ThumbnailStore"/>)
/// into the export folder. A page of a person's or of the doubtful faces, or a later page of the people, is built again
/// only where what it shows changed or its file is not as the last export left it (<see cref="ReviewPageState"/>, kept
/// in the review folder as <see cref="ReviewPageState.FileName"/>); the first page (the summary), the failed photos and
/// the scripts are built on every export. A page built is written
/// (atomically) where its bytes differ from the page there: a sync that changed a few people rewrites their pages, the
/// lists and the key script; thumbnails already there are reused;
/// pages and thumbnails of an earlier export that this one no longer shows are removed, so a rerun or a sync leaves the
/// folder as a fresh export would. The most alike people are kept in the review folder
/// (<see cref="NearestPeopleState.FileName"/>) for the next export, which computes again only the people a change can
/// reach. Only files an export wrote and nobody changed since (<see cref="ReviewSeal"/>) are
/// replaced or removed: anything else at a page's path (the user's own index.html, an edited page, a link) is left
/// alone and reported, and nothing is written through a link (<c>review</c> or <c>review/thumbnails</c> a link: the
/// review is not written).
/// </summary>
public static class ReviewPageWriter
{
    /// <param name="outputDirectory">The export folder.</param>
    /// <param name="groups">The exported groups (their faces give the thumbnails, their representatives the merge hints).</param>
    /// <param name="manifest">The export's faces.json document.</param>
    /// <param name="exportedAt">When the export ran, shown in the summary.</param>
    /// <param name="progress">Fraction of the thumbnails done, from worker threads.</param>
    /// <param name="cancellationToken">Stops between thumbnails; pages are not written then.</param>
    /// <exception cref="IOException">A page cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static ReviewPageResult Write(string outputDirectory, IReadOnlyList<FaceGroup> groups, FaceManifest manifest, DateTimeOffset exportedAt,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(manifest);
        var root = Path.GetFullPath(outputDirectory);
        var store = new ThumbnailStore(root);
        var leftAlone = new List<ReviewFileLeftAlone>();
        if (ExportLinks.LinkBelow(root, store.Folder) is { } link)
        {
            leftAlone.Add(new ReviewFileLeftAlone(link, ExportLinks.LeftAlone(link, "the review's own folder") + " The review page is not written; remove the link and run the export again.", IsLink: true));
            return new ReviewPageResult
            {
                IndexPath = Path.Combine(root, ReviewSite.IndexFileName), Pages = 0, ThumbnailsMade = 0, ThumbnailsReused = 0, Failures = [], LeftAlone = leftAlone,
            };
        }

        var faces = groups.SelectMany(g => g.Faces).ToArray();
        var listed = store.ListFiles();
        // One look at each photo for all of its faces; each face's name in its own slot (no shared map to contend on).
        var photos = Enumerable.Range(0, faces.Length).GroupBy(i => faces[i].Path, StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();
        var names = new string?[faces.Length];
        var failures = new ConcurrentBag<ReviewThumbnailFailure>();
        int made = 0, done = 0;
        Parallel.ForEach(photos, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, photo =>
        {
            var source = new FileInfo(faces[photo[0]].Path);
            foreach (var i in photo)
            {
                var face = faces[i];
                try
                {
                    var (name, isNew) = store.Ensure(face, ThumbnailStore.NameFor(face, source), listed);
                    names[i] = name;
                    if (isNew)
                        Interlocked.Increment(ref made);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    failures.Add(new ReviewThumbnailFailure(face.Path, face.FaceIndex, e));
                }
                progress?.Report((double)Interlocked.Increment(ref done) / faces.Length);
            }
        });
        var thumbnails = new Dictionary<(string Path, int FaceIndex), string>(faces.Length);
        for (var i = 0; i < faces.Length; i++)
        {
            if (names[i] is { } name)
                thumbnails[(faces[i].Path, faces[i].FaceIndex)] = name;
        }

        var hintsPath = Path.Combine(root, ReviewSite.FolderName, NearestPeopleState.FileName);
        // Read only a plain file (a link is not followed; a pipe, of length 0, is not opened).
        var kept = ExportLinks.Entry(hintsPath) is FileInfo { LinkTarget: null, Length: > 0 } ? NearestPeopleState.Read(hintsPath) : null;
        var hints = NearestPeople.Find(groups, kept, cancellationToken);
        var statePath = Path.Combine(root, ReviewSite.FolderName, ReviewPageState.FileName);
        var keptPages = ExportLinks.Entry(statePath) is FileInfo { LinkTarget: null, Length: > 0 } ? ReviewPageState.Read(statePath) : null;
        var before = keptPages is { Rule: var rule } && rule == ReviewPageState.CurrentRule
            ? keptPages.Pages.ToDictionary(p => p.Path, StringComparer.Ordinal) : [];
        var files = ReviewSite.Build(new ReviewInput
        {
            Manifest = manifest,
            ExportKey = ReviewEdits.ExportKey(ManifestBytes(root, manifest)),
            ExportFolder = root,
            ExportedAt = exportedAt,
            Thumbnails = thumbnails,
            NearestPeople = hints.Nearest(),
            // A page is kept where it shows the same and its file is as the export left it (an edit, a removal or a
            // link at its path sends it through WritePage, as a full build would).
            IsKept = (path, inputs) => before.TryGetValue(path, out var stamp) && stamp.Inputs == inputs
                && stamp.File.HasSizeAndTime(FileStamp.TryRead(Path.Combine(root, path))),
        });
        Directory.CreateDirectory(Path.Combine(root, ReviewSite.FolderName));
        var pages = 0;
        var stamps = new List<ReviewPageStamp>();
        // The key script last: a run stopped before it leaves the earlier key, so changes made on a page not yet
        // rewritten are refused by Import-FaceClusterCorrection rather than applied to faces the page did not show.
        foreach (var file in files.OrderBy(f => f.RelativePath == $"{ReviewSite.FolderName}/{ReviewSite.KeyScriptName}"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(root, file.RelativePath);
            if (file.Kept)
            {
                stamps.Add(before[file.RelativePath]);
                pages++;
            }
            else if (WritePage(path, file) is { } left)
            {
                leftAlone.Add(left);
            }
            else
            {
                pages++;
                if (file.Inputs is { } inputs && FileStamp.TryRead(path) is { } written)
                    stamps.Add(new ReviewPageStamp(file.RelativePath, inputs, written));
            }
        }
        if (WriteHints(hintsPath, hints, keptIsOurs: kept is not null) is { } hintsLeft)
            leftAlone.Add(hintsLeft);
        var state = new ReviewPageState { Format = ReviewPageState.CurrentFormat, Rule = ReviewPageState.CurrentRule, Pages = stamps };
        if (WriteKept(statePath, state.ToUtf8Bytes(), keptIsOurs: keptPages is not null, "the list of pages the export keeps",
            "the next export builds every page again") is { } stateLeft)
            leftAlone.Add(stateLeft);
        RemoveStalePages(root, files);
        RemoveStaleThumbnails(store.Folder, listed, thumbnails.Values);

        return new ReviewPageResult
        {
            IndexPath = Path.Combine(root, ReviewSite.IndexFileName),
            Pages = pages,
            ThumbnailsMade = made,
            ThumbnailsReused = thumbnails.Count - made,
            Failures = failures.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.FaceIndex).ToArray(),
            LeftAlone = leftAlone,
        };
    }

    /// <summary>faces.json as the export left it on disk (what Import-FaceClusterCorrection checks), else as <paramref name="manifest"/> writes it.</summary>
    private static byte[] ManifestBytes(string root, FaceManifest manifest)
    {
        var path = Path.Combine(root, FaceManifest.FileName);
        return File.Exists(path) ? File.ReadAllBytes(path) : manifest.ToUtf8Bytes();
    }

    /// <summary>Writes a sealed page where nothing is, or replaces a sealed one; anything else is left alone.</summary>
    private static ReviewFileLeftAlone? WritePage(string path, ReviewFile page)
    {
        var bytes = ReviewSeal.Seal(page);
        switch (ExportLinks.Entry(path))
        {
            case null:
                try
                {
                    AtomicFile.WriteAllBytes(path, bytes, overwrite: false);
                    return null;
                }
                catch (IOException) when (ExportLinks.Entry(path) is not null)
                {
                    return WritePage(path, page); // appeared meanwhile: judge what is there
                }
            case FileInfo { LinkTarget: not null }:
                return new ReviewFileLeftAlone(path, ExportLinks.LeftAlone(path, "a page the export wrote"), IsLink: true);
            case FileInfo file when file.Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes):
                return null;
            case FileInfo when ReviewSeal.IsExports(path, page.RelativePath.EndsWith(".css", StringComparison.Ordinal) ? page.Content : null):
                AtomicFile.WriteAllBytes(path, bytes, overwrite: true);
                return null;
            default:
                return new ReviewFileLeftAlone(path,
                    $"'{path}' is not a page the export wrote (it has no FaceCluster seal, or was changed since): left untouched, and this page of the review is not written. Move it away and run the export again for a fresh one.",
                    IsLink: false);
        }
    }

    /// <summary>Keeps the hints for the next export (<see cref="NearestPeopleState"/>): see <see cref="WriteKept"/>.</summary>
    private static ReviewFileLeftAlone? WriteHints(string path, NearestPeopleState hints, bool keptIsOurs) =>
        WriteKept(path, hints.ToUtf8Bytes(), keptIsOurs, "the file of most alike people the export keeps", "the next export computes every hint again");

    /// <summary>Writes a file the export keeps for the next one (the hints, the pages' state) where nothing is, or
    /// replaces the export's own (<paramref name="keptIsOurs"/>: read as such at the start of this export, so not parsed
    /// again); anything else is left alone (<paramref name="without"/> says what the next export does then).</summary>
    private static ReviewFileLeftAlone? WriteKept(string path, byte[] bytes, bool keptIsOurs, string what, string without)
    {
        switch (ExportLinks.Entry(path))
        {
            case FileInfo { LinkTarget: not null }:
                return new ReviewFileLeftAlone(path, ExportLinks.LeftAlone(path, what), IsLink: true);
            case null:
            case FileInfo { Length: > 0 } when keptIsOurs:
                AtomicFile.WriteAllBytes(path, bytes, overwrite: true);
                return null;
            default:
                return new ReviewFileLeftAlone(path,
                    $"'{path}' is not {what}: left untouched, and {without}. Move it away and run the export again.",
                    IsLink: false);
        }
    }

    private static void RemoveStalePages(string root, IReadOnlyList<ReviewFile> written)
    {
        var keep = written.Select(f => Path.GetFileName(f.RelativePath)).ToHashSet(StringComparer.Ordinal);
        foreach (var page in Directory.EnumerateFiles(Path.Combine(root, ReviewSite.FolderName), "*.html"))
        {
            if (!keep.Contains(Path.GetFileName(page)) && ReviewSeal.IsExports(page))
                File.Delete(page);
        }
    }

    /// <summary>Removes the thumbnails among <paramref name="listed"/> (the folder's files before this export) that no
    /// face shows now, where they are the export's (sealed).</summary>
    private static void RemoveStaleThumbnails(string folder, IEnumerable<string> listed, IEnumerable<string> shown)
    {
        var keep = shown.ToHashSet(StringComparer.Ordinal);
        foreach (var name in listed)
        {
            var thumbnail = Path.Combine(folder, name);
            if (ThumbnailStore.IsThumbnailName(name) && !keep.Contains(name) && ReviewSeal.IsSealed(thumbnail))
                File.Delete(thumbnail);
        }
    }
}
