using FaceCluster.Engine.FileSystem;
using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Turns an export plan into the differences from the earlier export in its folder (<c>Export-FaceCluster -Sync</c>).
/// It knows the earlier export's files from its faces.json (<see cref="FaceManifest.OwnedFiles"/>) and:
/// <list type="bullet">
/// <item>keeps a file already in place (a file at its destination holding the photo is adopted as the export's), and
/// takes a person folder the user renamed, once the group (same id) carries the new name, for the export's own;</item>
/// <item>moves an unchanged earlier file of a photo whose person or name changed, or that was renamed or moved in the
/// library, replaces one whose source was edited, and removes one that no longer belongs;</item>
/// <item>does not write again a photo the user deleted from a complete export while its face stays with the same person
/// (a file missing from an unfinished export was never written, and is written);</item>
/// <item>never removes or overwrites a file the user changed (<see cref="ExportSyncNoteKind.ModifiedByUser"/>; a copy or
/// hard link replaced by a symbolic link is one), nor any file no export wrote;</item>
/// <item>never looks through a person folder that is a link (<see cref="ExportSyncNoteKind.LinkLeftAlone"/>): the files
/// in it are not the export's, and the link is left as it is (<see cref="ExportLinks"/>);</item>
/// <item>refuses (<see cref="ExportRefusal.WouldShrink"/>, before anything is written) a sync that would shrink the
/// export by much (<see cref="ExportShrink.Refused"/>), unless <see cref="ExportPlan.AllowShrink"/>.</item>
/// </list>
/// The plan writes faces.json first, unfinished, listing the earlier files (<see cref="FaceManifest.Earlier"/>; those it
/// moves or removes marked as not complete), so a rerun after a kill at any point knows them and ends with the same
/// folder. Reads the folder; call it while holding the folder's <see cref="ExportLock"/> (as
/// <see cref="ExportSession.Start"/> does), or for a preview.
/// </summary>
public static class SyncPlanner
{
    /// <param name="target">The plan of the export wanted (<see cref="ExportPlanner.Plan"/>).</param>
    /// <param name="cancellationToken">Checked between files.</param>
    /// <exception cref="ExportRefusedException">The sync would shrink the export (<see cref="ExportRefusal.WouldShrink"/>,
    /// with <see cref="ExportRefusedException.Shrink"/>).</exception>
    public static ExportPlan Plan(ExportPlan target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var root = target.OutputDirectory;
        var previous = ExportLinks.IsLink(target.ManifestPath) ? null : FaceManifest.TryRead(target.ManifestPath);
        // A person folder the user renamed: gone under its old name, there under the label its group (same id) now
        // carries. Its files are the export's under the new name.
        var renamedFolders = (previous?.Clusters ?? [])
            .Join(target.Manifest.Clusters, c => c.Id, c => c.Id, (before, now) => (Before: before.Folder, Now: now.Folder))
            .Where(pair => IsFolderName(pair.Before) && !PathComparison.Comparer.Equals(pair.Before, pair.Now)
                && !Directory.Exists(Full(root, pair.Before)) && Directory.Exists(Full(root, pair.Now)))
            .ToDictionary(pair => pair.Before, pair => pair.Now, PathComparison.Comparer);
        // Each person folder listed once: a sync of an unchanged export makes no system call a file of it.
        var listing = new ExportFolderListing(root);
        var sources = new SourceFolderListing();
        var owned = new Dictionary<string, List<FaceManifestOwnedFile>>(PathComparison.Comparer);
        var ownedFolders = new HashSet<string>(PathComparison.Comparer);
        var linkedFolders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var earlierFile in previous?.OwnedFiles() ?? [])
        {
            var file = earlierFile;
            if (file.FullPath(root) is null)
                continue;
            var slash = file.Destination.IndexOf('/');
            var folder = file.Destination[..slash];
            if (renamedFolders.TryGetValue(folder, out var now))
                (file, folder) = (file with { Destination = now + file.Destination[slash..] }, now);
            if (listing.IsLinkedFolder(folder))
            {
                linkedFolders.Add(folder);
                continue;
            }
            ownedFolders.Add(folder);
            if (!owned.TryGetValue(file.Destination, out var list))
                owned.Add(file.Destination, list = []);
            list.Add(file);
        }

        // A file or a link, a dangling one too, counts; a folder does not.
        bool Exists(string relative) => listing.Entry(relative) is not null;

        // Each action's destination relative to the root, worked out once.
        var relatives = target.Actions.Select(a => IsPlacement(a.Kind) || a.Kind == ExportActionKind.WriteRepresentative ? Relative(root, a.Destination) : null).ToArray();
        var wanted = new Dictionary<string, ExportAction>(PathComparison.Comparer);
        for (var i = 0; i < relatives.Length; i++)
        {
            if (relatives[i] is { } relative)
                wanted[relative] = target.Actions[i];
        }

        // Where a photo is wanted and nothing is there yet, an earlier file of it may be moved.
        var free = wanted.Where(pair => IsPlacement(pair.Value.Kind) && !Exists(pair.Key))
            .ToLookup(pair => pair.Value.Source!, pair => pair.Key, PathComparison.Comparer);
        var claimed = new HashSet<string>(PathComparison.Comparer);
        var moved = new Dictionary<string, ExportAction>(PathComparison.Comparer);
        var replaced = new Dictionary<string, ExportAction>(PathComparison.Comparer);
        var dropped = new HashSet<string>(PathComparison.Comparer);
        var pending = new HashSet<string>(PathComparison.Comparer);
        var notes = linkedFolders.Select(folder => new ExportSyncNote(ExportSyncNoteKind.LinkLeftAlone, Full(root, folder), null)).ToList();
        var removals = new List<ExportAction>();
        var modified = new HashSet<string>(PathComparison.Comparer);
        var written = new Dictionary<string, FileStamp>(PathComparison.Comparer);
        var inPlace = new HashSet<string>(PathComparison.Comparer);
        var kept = 0;

        // A photo renamed or moved in the library: its earlier file, found by its stamp (the source's length and time,
        // which a rename keeps) and checked like a file in place, is moved rather than copied again.
        ILookup<FileStamp, string>? freeByStamp = null;
        string? Renamed(string full, FaceManifestOwnedFile file, CancellationToken token)
        {
            if (file.Stamp is not { } stamp || File.Exists(file.Source))
                return null;
            freeByStamp ??= free.SelectMany(sources => sources.Select(relative => (Stamp: FileStamp.TryRead(wanted[relative].Source!), relative)))
                .Where(pair => pair.Stamp is not null).ToLookup(pair => pair.Stamp!, pair => pair.relative);
            return freeByStamp[stamp with { Sha256 = null }].FirstOrDefault(relative => !claimed.Contains(relative)
                && ExportExecutor.IsCurrentPhoto(full, file, wanted[relative].Source!, token) && claimed.Add(relative));
        }

        // The common case first, in any order: the one earlier file at a name, still a plain file as recorded, of the
        // source placed there now, as it was (what the checks below keep too, the same way: IsCurrent's first answer).
        var rest = new List<KeyValuePair<string, List<FaceManifestOwnedFile>>>();
        foreach (var pair in owned)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (pair.Value is [{ Representative: false, Stamp: { } recorded } only] && wanted.GetValueOrDefault(pair.Key) is { } action
                && listing.Entry(pair.Key) is { IsLink: false } entry && Holds(only, action)
                && recorded.HasSizeAndTime(entry.Stamp) && recorded.HasSizeAndTime(sources.Stamp(action.Source!)))
            {
                kept++;
                dropped.Add(pair.Key);
                written[pair.Key] = recorded;
                inPlace.Add(pair.Key);
            }
            else
                rest.Add(pair);
        }

        // Each other earlier file still there: keep it, replace it, move or remove it, or (changed by the user) leave it.
        foreach (var (relative, files) in rest.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (listing.Entry(relative) is not { } entry)
                continue;
            var full = Full(root, relative);
            var action = wanted.GetValueOrDefault(relative);
            if (target.Mode != ExportMode.SymbolicLink && entry.IsLink)
            {
                // The export wrote a file here, not a link: the user replaced it.
                notes.Add(new ExportSyncNote(ExportSyncNoteKind.ModifiedByUser, full, files[0].Source));
                modified.Add(relative);
                if (action is not null)
                    dropped.Add(relative);
                continue;
            }
            var same = action is null ? [] : files.Where(f => Holds(f, action)).ToArray();
            // In place already: the same photo, or one moved or renamed in the library whose file keeps its name.
            var current = same.FirstOrDefault(f => IsCurrent(full, entry, f, action!, sources, cancellationToken))
                ?? (same.Length == 0 && action is not null && IsPlacement(action.Kind)
                    ? files.FirstOrDefault(f => !f.Representative && ExportExecutor.IsCurrentPhoto(full, f, action.Source!, cancellationToken))
                    : null);
            if (current is not null)
            {
                kept++;
                dropped.Add(relative);
                if (current.Stamp is { } stamp)
                {
                    written[relative] = stamp;
                    if (!entry.IsLink && stamp.HasSizeAndTime(entry.Stamp))
                        inPlace.Add(relative);
                }
                continue;
            }
            if (files.FirstOrDefault(f => ExportExecutor.IsUnchanged(full, f, cancellationToken)) is not { } ours)
            {
                if (same.Any(f => f.Representative && f.Stamp is null))
                    continue; // an unfinished export's crop, not stamped yet: WriteRepresentative compares the bytes
                notes.Add(new ExportSyncNote(ExportSyncNoteKind.ModifiedByUser, full, files[0].Source));
                modified.Add(relative);
                if (action is not null)
                    dropped.Add(relative);
                continue;
            }
            // In place: a newer version of the same photo, or a crop of another face (often the same bytes).
            if (same.Length > 0 || action?.Kind == ExportActionKind.WriteRepresentative && ours.Representative)
            {
                replaced[relative] = action! with { Replaces = ours, Description = $"Replace '{relative}' with the current '{action.Source}'" };
                continue;
            }
            var to = ours.Representative || ours.Source is null ? null
                : free[ours.Source].FirstOrDefault(claimed.Add) ?? Renamed(full, ours, cancellationToken);
            pending.Add(relative);
            if (to is null)
            {
                removals.Add(new ExportAction
                {
                    Kind = ExportActionKind.RemoveFile, Destination = full, Source = ours.Source, Owned = ours,
                    GroupLabel = relative[..relative.IndexOf('/')],
                    Description = $"Remove '{relative}', written by an earlier export, which no longer belongs",
                });
                continue;
            }
            moved[to] = wanted[to] with
            {
                Previous = full, Owned = ours,
                Description = $"Move photo '{wanted[to].Source}' from '{relative}' to '{to}'",
            };
            if (ours.Stamp is { } movedStamp)
                written[to] = movedStamp;
        }

        // A file removed from a name this run places a photo at again (a symbolic link to a photo moved in the
        // library, re-pointed) does not take a photo out of the export, unless the copy there had other bytes than
        // the photo placed now: another photo of the same name (a twin in a folder no longer read) takes its place.
        var leaving = removals.Where(a => !wanted.TryGetValue(Relative(root, a.Destination), out ExportAction? again) || OtherPhoto(a, again));
        if (!target.AllowShrink && previous is not null
            && Shrink(previous, owned.Values.SelectMany(files => files).Where(f => Exists(f.Destination)), leaving, target.Manifest) is { Refused: true } shrink)
            throw new ExportRefusedException(root, shrink);

        // A photo a complete export wrote, now missing, whose face stays with the same person: the user deleted it.
        var deleted = owned.Values.SelectMany(files => files)
            .Where(f => f.Complete && !f.Representative && f.Source is not null && !pending.Contains(f.Destination) && !Exists(f.Destination))
            .Select(f => (f.Source!, f.ClusterId))
            .ToHashSet(new SourceClusterComparer());
        Dictionary<string, int>? clusterOf = null;
        var moves = new List<ExportAction>();
        var actions = new List<ExportAction>();
        for (var i = 2; i < target.Actions.Count - 1; i++)
        {
            var action = target.Actions[i];
            if (action.Kind == ExportActionKind.CreateDirectory)
                continue;
            var relative = relatives[i] ?? Relative(root, action.Destination);
            if (dropped.Contains(relative))
                continue;
            if (moved.TryGetValue(relative, out var move))
                moves.Add(move);
            else if (replaced.TryGetValue(relative, out var replace))
                actions.Add(replace);
            else if (deleted.Count > 0 && IsPlacement(action.Kind) && !Exists(relative) && (clusterOf ??= ClusterOf(target.Manifest)).TryGetValue(relative, out var clusterId)
                     && deleted.Contains((action.Source!, clusterId)))
                notes.Add(new ExportSyncNote(ExportSyncNoteKind.DeletedByUser, action.Destination, action.Source));
            else
                actions.Add(action);
        }

        var folders = target.Actions.Where(a => a.Kind == ExportActionKind.CreateDirectory).ToArray();
        var labels = folders.Skip(1).Select(a => a.GroupLabel!).ToHashSet(PathComparison.Comparer);
        var goneFolders = ownedFolders
            .Concat(previous?.Clusters.Select(c => c.Folder).Where(IsFolderName) ?? [])
            .Where(folder => !labels.Contains(folder) && Directory.Exists(Full(root, folder)) && !linkedFolders.Contains(folder))
            .Distinct(PathComparison.Comparer).Order(StringComparer.Ordinal)
            .Select(folder => new ExportAction
            {
                Kind = ExportActionKind.RemoveDirectory, Destination = Full(root, folder), GroupLabel = folder,
                Description = $"Remove folder '{folder}' of a group that no longer exists, if nothing else is in it",
            }).ToArray();

        var start = target.Actions[1];
        var finish = target.Actions[^1];
        // Nothing to write but the final faces.json (every folder there, no file to place, move or remove): the earlier
        // faces.json stays until that one atomic write, so a run stopped before it leaves the folder as it was.
        var startManifest = moves.Count + removals.Count + actions.Count > 0 || goneFolders.Length > 0
            || folders.Skip(1).Any(f => !listing.IsFolder(f.GroupLabel!))
            ? new[] { start with { Manifest = target.Manifest.AsIncomplete(Earlier(owned, modified, pending)), Sync = true } }
            : [];
        return new ExportPlan
        {
            OutputDirectory = root,
            Mode = target.Mode,
            Manifest = target.Manifest,
            Sync = true,
            Kept = kept,
            Notes = notes,
            Written = written,
            InPlace = inPlace,
            Actions =
            [
                target.Actions[0],
                .. startManifest,
                .. folders.Skip(1), .. moves, .. removals, .. actions, .. goneFolders,
                finish with { Sync = true },
            ],
        };
    }

    /// <summary>Whether the earlier file was written for what <paramref name="action"/> writes (the same photo, or the
    /// representative crop of the same face).</summary>
    private static bool Holds(FaceManifestOwnedFile file, ExportAction action) =>
        file.Representative == (action.Kind == ExportActionKind.WriteRepresentative)
        && string.Equals(file.Source, action.Source, PathComparison.Current)
        && (!file.Representative || file.FaceIndex == action.Face?.FaceIndex);

    /// <summary>Whether the earlier file <paramref name="file"/>, at <paramref name="full"/> as
    /// <paramref name="entry"/> lists it, already holds what <paramref name="action"/> writes.</summary>
    private static bool IsCurrent(string full, ExportFolderEntry entry, FaceManifestOwnedFile file, ExportAction action, SourceFolderListing sources,
        CancellationToken cancellationToken)
    {
        if (!file.Representative)
        {
            // The common case answered from the listings: a plain file as recorded, of a source as it was (what
            // IsCurrentPhoto accepts too, after its other checks).
            if (!entry.IsLink && file.Stamp is { } recorded && recorded.HasSizeAndTime(entry.Stamp) && recorded.HasSizeAndTime(sources.Stamp(action.Source!)))
                return true;
            return ExportExecutor.IsCurrentPhoto(full, file, action.Source!, cancellationToken);
        }
        // A crop takes its source's time: same stamp, source not rewritten since.
        return !entry.IsLink && file.Stamp is { } stamp && stamp.HasSizeAndTime(entry.Stamp) && File.Exists(action.Source)
            && File.GetLastWriteTimeUtc(action.Source!) == stamp.Modified;
    }

    /// <summary>What the sync would take out of the export: of the photos with a file in the folder
    /// (<paramref name="present"/>), those whose files it removes and that this run no longer has; the named people of
    /// <paramref name="previous"/> this run no longer has (under their id or merged into another); and whether it
    /// leaves no person. Null where it takes nothing out (never refused): the export's photos are then not counted.</summary>
    private static ExportShrink? Shrink(FaceManifest previous, IEnumerable<FaceManifestOwnedFile> present, IEnumerable<ExportAction> removals, FaceManifest now)
    {
        var ids = now.Clusters.SelectMany(c => (c.MergedIds ?? []).Append(c.Id)).ToHashSet();
        var people = previous.Clusters.Where(c => c.Id >= 0).ToArray();
        var removedNames = people.Where(c => c.Name is not null && !ids.Contains(c.Id)).Select(c => c.Name!).Order(StringComparer.Ordinal).ToArray();
        var removesEveryPerson = people.Length > 0 && !now.Clusters.Any(c => c.Id >= 0);
        var photoRemovals = removals.Where(a => a.Owned is { Representative: false } && a.Source is not null).ToArray();
        var photos = photoRemovals.Length == 0 ? [] : now.Faces.Select(f => f.Path).ToHashSet(PathComparison.Comparer);
        var removedPhotos = photoRemovals.Where(a => !photos.Contains(a.Source!))
            .Select(a => a.Source!).Distinct(PathComparison.Comparer).Order(StringComparer.Ordinal).ToArray();
        if (removedPhotos.Length == 0 && removedNames.Length == 0 && !removesEveryPerson)
            return null;
        return new ExportShrink
        {
            Photos = present.Where(f => !f.Representative && f.Source is not null).Select(f => f.Source!).Distinct(PathComparison.Comparer).Count(),
            RemovedPhotos = removedPhotos,
            People = people.Length,
            RemovedNames = removedNames,
            RemovesEveryPerson = removesEveryPerson,
        };
    }

    /// <summary>The first face's group at each destination of <paramref name="manifest"/>.</summary>
    private static Dictionary<string, int> ClusterOf(FaceManifest manifest)
    {
        var clusterOf = new Dictionary<string, int>(PathComparison.Comparer);
        foreach (var face in manifest.Faces)
            clusterOf.TryAdd(face.Destination, face.ClusterId);
        return clusterOf;
    }

    /// <summary>The earlier files the unfinished faces.json lists: those of <paramref name="owned"/> not changed by the
    /// user (<paramref name="modified"/>), the ones the sync moves or removes (<paramref name="pending"/>) marked as not
    /// complete.</summary>
    private static FaceManifestOwnedFile[] Earlier(Dictionary<string, List<FaceManifestOwnedFile>> owned, HashSet<string> modified, HashSet<string> pending) =>
        owned.Values.SelectMany(files => files)
            .Where(f => !modified.Contains(f.Destination))
            .Select(f => pending.Contains(f.Destination) ? f with { Complete = false } : f)
            .ToArray();

    /// <summary>Whether the copy <paramref name="removed"/> takes out held other bytes (its recorded SHA-256) than the
    /// photo <paramref name="placed"/> puts at its name; a file without a recorded hash (a link) counts as the same.</summary>
    private static bool OtherPhoto(ExportAction removed, ExportAction placed) =>
        removed.Owned?.Stamp?.Sha256 is { } hash && (placed.Source is null || FileStamp.TryReadWithHash(placed.Source)?.Sha256 != hash);

    private static bool IsFolderName(string folder) =>
        folder.Length > 0 && folder is not ("." or "..") && folder.IndexOfAny(['/', '\\', ':']) < 0 && folder.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    private static bool IsPlacement(ExportActionKind kind) =>
        kind is ExportActionKind.PlacePhotoCopy or ExportActionKind.PlacePhotoHardLink or ExportActionKind.PlacePhotoSymbolicLink;

    private static string Full(string root, string relative) => Path.Combine([root, .. relative.Split('/')]);

    private static string Relative(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    /// <summary>(source path, cluster id) pairs, the path compared as the platform does.</summary>
    private sealed class SourceClusterComparer : IEqualityComparer<(string Source, int ClusterId)>
    {
        public bool Equals((string Source, int ClusterId) x, (string Source, int ClusterId) y) =>
            x.ClusterId == y.ClusterId && PathComparison.Comparer.Equals(x.Source, y.Source);

        public int GetHashCode((string Source, int ClusterId) obj) => HashCode.Combine(PathComparison.Comparer.GetHashCode(obj.Source), obj.ClusterId);
    }
}
