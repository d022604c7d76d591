using System.Collections.Concurrent;
using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// Writes an export's review pages (<see cref="ReviewSite"/>) and the thumbnails they show (<see cref="ThumbnailStore"/>)
/// into the export folder. Pages are rewritten whole (atomically) on every export; thumbnails already there are reused;
/// pages and thumbnails of an earlier export that this one no longer shows are removed, so a rerun or a sync leaves the
/// folder as a fresh export would.
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

        var files = ReviewSite.Build(new ReviewInput
        {
            Manifest = manifest,
            ExportFolder = root,
            ExportedAt = exportedAt,
            Thumbnails = thumbnails,
            NearestPeople = NearestPeople.Find(groups, cancellationToken),
        });
        Directory.CreateDirectory(Path.Combine(root, ReviewSite.FolderName));
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AtomicFile.WriteAllBytes(Path.Combine(root, file.RelativePath), System.Text.Encoding.UTF8.GetBytes(file.Content), overwrite: true);
        }
        RemoveStalePages(root, files);
        RemoveStaleThumbnails(store.Folder, thumbnails.Values);

        return new ReviewPageResult
        {
            IndexPath = Path.Combine(root, ReviewSite.IndexFileName),
            Pages = files.Count,
            ThumbnailsMade = made,
            ThumbnailsReused = thumbnails.Count - made,
            Failures = failures.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.FaceIndex).ToArray(),
        };
    }

    private static void RemoveStalePages(string root, IReadOnlyList<ReviewFile> written)
    {
        var keep = written.Select(f => Path.GetFileName(f.RelativePath)).ToHashSet(StringComparer.Ordinal);
        foreach (var page in Directory.EnumerateFiles(Path.Combine(root, ReviewSite.FolderName), "*.html"))
        {
            if (!keep.Contains(Path.GetFileName(page)))
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
            if (ThumbnailStore.IsThumbnailName(name) && !keep.Contains(name))
                File.Delete(thumbnail);
        }
    }
}
