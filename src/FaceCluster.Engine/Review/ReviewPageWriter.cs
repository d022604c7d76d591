using System.Collections.Concurrent;
using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// Writes an export's review pages (<see cref="ReviewSite"/>) and the thumbnails they show (<see cref="ThumbnailStore"/>)
/// into the export folder. Every page is built on every export, and written (atomically) where its bytes differ from
/// the page there: a sync that changed a few people rewrites their pages, the lists and the key script; thumbnails already there are reused;
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
        var thumbnails = new ConcurrentDictionary<(string Path, int FaceIndex), string>();
        var failures = new ConcurrentBag<ReviewThumbnailFailure>();
        int made = 0, done = 0;
        Parallel.ForEach(faces, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, face =>
        {
            try
            {
                var (name, isNew) = store.Ensure(face);
                thumbnails[(face.Path, face.FaceIndex)] = name;
                if (isNew)
                    Interlocked.Increment(ref made);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                failures.Add(new ReviewThumbnailFailure(face.Path, face.FaceIndex, e));
            }
            progress?.Report((double)Interlocked.Increment(ref done) / faces.Length);
        });

        var hintsPath = Path.Combine(root, ReviewSite.FolderName, NearestPeopleState.FileName);
        // Read only a plain file (a link is not followed; a pipe, of length 0, is not opened).
        var kept = ExportLinks.Entry(hintsPath) is FileInfo { LinkTarget: null, Length: > 0 } ? NearestPeopleState.Read(hintsPath) : null;
        var hints = NearestPeople.Find(groups, kept, cancellationToken);
        var files = ReviewSite.Build(new ReviewInput
        {
            Manifest = manifest,
            ExportKey = ReviewEdits.ExportKey(ManifestBytes(root, manifest)),
            ExportFolder = root,
            ExportedAt = exportedAt,
            Thumbnails = thumbnails,
            NearestPeople = hints.Nearest(),
        });
        Directory.CreateDirectory(Path.Combine(root, ReviewSite.FolderName));
        var pages = 0;
        // The key script last: a run stopped before it leaves the earlier key, so changes made on a page not yet
        // rewritten are refused by Import-FaceClusterCorrection rather than applied to faces the page did not show.
        foreach (var file in files.OrderBy(f => f.RelativePath == $"{ReviewSite.FolderName}/{ReviewSite.KeyScriptName}"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (WritePage(Path.Combine(root, file.RelativePath), file) is { } left)
                leftAlone.Add(left);
            else
                pages++;
        }
        if (WriteHints(hintsPath, hints, keptIsOurs: kept is not null) is { } hintsLeft)
            leftAlone.Add(hintsLeft);
        RemoveStalePages(root, files);
        RemoveStaleThumbnails(store.Folder, thumbnails.Values);

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

    /// <summary>Keeps the hints for the next export (<see cref="NearestPeopleState"/>) where nothing is, or replaces the
    /// export's own (<paramref name="keptIsOurs"/>: read as such at the start of this export, so not parsed again);
    /// anything else is left alone (the next export then computes every hint again).</summary>
    private static ReviewFileLeftAlone? WriteHints(string path, NearestPeopleState hints, bool keptIsOurs)
    {
        switch (ExportLinks.Entry(path))
        {
            case FileInfo { LinkTarget: not null }:
                return new ReviewFileLeftAlone(path, ExportLinks.LeftAlone(path, "the review's most alike people"), IsLink: true);
            case null:
            case FileInfo { Length: > 0 } when keptIsOurs:
                AtomicFile.WriteAllBytes(path, hints.ToUtf8Bytes(), overwrite: true);
                return null;
            default:
                return new ReviewFileLeftAlone(path,
                    $"'{path}' is not the file of most alike people the export keeps: left untouched, and the next export computes every hint again. Move it away and run the export again.",
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

    private static void RemoveStaleThumbnails(string folder, IEnumerable<string> shown)
    {
        if (!Directory.Exists(folder))
            return;
        var keep = shown.ToHashSet(StringComparer.Ordinal);
        foreach (var thumbnail in Directory.EnumerateFiles(folder, "*.jpg"))
        {
            var name = Path.GetFileName(thumbnail);
            if (ThumbnailStore.IsThumbnailName(name) && !keep.Contains(name) && ReviewSeal.IsSealed(thumbnail))
                File.Delete(thumbnail);
        }
    }
}
