using System.Security.Cryptography;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Carries out an <see cref="ExportPlan"/> one <see cref="ExportAction"/> at a time, so the cmdlet can put ShouldProcess,
/// Write-Progress and WriteError around each. Rules:
/// <list type="bullet">
/// <item>Sources are only ever read.</item>
/// <item>Nothing is overwritten: a destination that holds something else is a <see cref="ExportOutcome.Conflict"/> and
/// is left untouched (faces.json of an earlier export of the same clustering, see <see cref="ExportFingerprint"/>, is
/// the one thing replaced).</item>
/// <item>A destination that already holds exactly what would be written (same length and SHA-256 for copies and crops,
/// same file for hard links, same target for symbolic links) is <see cref="ExportOutcome.AlreadyDone"/>: that is how a
/// rerun completes an interrupted export.</item>
/// <item>Files are written to a hidden temporary in the same folder, flushed, then moved onto their final name, so an
/// interrupted export never leaves a half-written file under a final name.</item>
/// <item>Nothing is written, moved or removed through a link inside the export (<see cref="ExportLinks"/>): a group
/// folder that is a link is a <see cref="ExportOutcome.Conflict"/> for everything in it.</item>
/// </list>
/// </summary>
public static class ExportExecutor
{
    private const int BufferSize = 1 << 20;

    /// <summary>Executes one action. Problems with the item are reported in the result, not thrown.</summary>
    /// <exception cref="OperationCanceledException">Cancelled (checked before the action and between blocks of a large
    /// copy or comparison); any temporary has been removed and no final file was written.</exception>
    public static ExportActionResult Execute(ExportAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Every file step of a group (GroupLabel set) writes, moves or removes in its group's folder: never through a link.
            if (action.GroupLabel is not null && action.Kind is not (ExportActionKind.CreateDirectory or ExportActionKind.RemoveDirectory)
                && Path.GetDirectoryName(action.Destination) is { } folder && ExportLinks.IsLink(folder))
                return Conflict(action, ExportLinks.LeftAlone(folder, "a folder of the export") + $" '{action.Destination}' is not {Verb(action.Kind)}.");
            return action.Kind switch
            {
                ExportActionKind.CreateDirectory => CreateDirectory(action),
                ExportActionKind.StartManifest => StartManifest(action),
                ExportActionKind.PlacePhotoCopy => PlaceCopy(action, cancellationToken),
                ExportActionKind.PlacePhotoHardLink => PlaceHardLink(action, cancellationToken),
                ExportActionKind.PlacePhotoSymbolicLink => PlaceSymbolicLink(action),
                ExportActionKind.WriteRepresentative => WriteRepresentative(action),
                ExportActionKind.WriteManifest => WriteManifest(action),
                ExportActionKind.RemoveFile => RemoveFile(action, cancellationToken),
                ExportActionKind.RemoveDirectory => RemoveDirectory(action),
                _ => throw new ArgumentOutOfRangeException(nameof(action), action.Kind, "Unknown action kind."),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException)
        {
            return Result(action, ExportOutcome.Failed, $"{action.Description} failed ({action.Target}): {e.Message}", e);
        }
    }

    /// <summary>Deletes the <c>.fc-tmp-*</c> temporaries an interrupted export left in the folders it writes into:
    /// <paramref name="outputDirectory"/>, its group folders, <c>review</c> and <c>review/thumbnails</c> (never through
    /// a link, never in a folder of the user's inside them). Call only while holding the folder's
    /// <see cref="ExportLock"/> (as <see cref="ExportSession.Start"/> does), so no other export's live temporary can be
    /// taken for a stale one.</summary>
    /// <returns>How many were deleted.</returns>
    public static int CleanStaleTemporaries(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var root = Path.GetFullPath(outputDirectory);
        if (!Directory.Exists(root))
            return 0;
        // Our temporaries are dot files, which .NET treats as hidden: enumerate hidden entries too, but not into linked folders.
        var options = new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, MatchType = MatchType.Simple };
        var deleted = 0;
        var folders = Directory.EnumerateDirectories(root, "*", options).Prepend(root);
        var thumbnails = Path.Combine(root, Review.ReviewSite.ThumbnailFolder);
        if (Directory.Exists(thumbnails) && ExportLinks.LinkBelow(root, thumbnails) is null)
            folders = folders.Append(thumbnails);
        foreach (var folder in folders)
        {
            foreach (var temp in Directory.EnumerateFiles(folder, AtomicFile.TempPrefix + "*", options))
            {
                File.Delete(temp);
                deleted++;
            }
        }
        return deleted;
    }

    private static ExportActionResult CreateDirectory(ExportAction action)
    {
        switch (Existing(action.Destination))
        {
            case DirectoryInfo:
                return Result(action, ExportOutcome.AlreadyDone, $"Folder '{action.Destination}' already exists.");
            case FileInfo { LinkTarget: not null } when action.GroupLabel is null && Directory.Exists(action.Destination):
                return Result(action, ExportOutcome.AlreadyDone, $"Folder '{action.Destination}' is a link to the folder '{new FileInfo(action.Destination).LinkTarget}': exporting into it.");
            case FileInfo { LinkTarget: not null }:
                return Conflict(action, ExportLinks.LeftAlone(action.Destination, "a folder"));
            case { } other:
                return Conflict(action, $"'{other.FullName}' exists and is not a folder; left untouched.");
            default:
                Directory.CreateDirectory(action.Destination);
                return Result(action, ExportOutcome.Done, $"Created folder '{action.Destination}'.");
        }
    }

    private static ExportActionResult PlaceCopy(ExportAction action, CancellationToken cancellationToken) => PlacePhoto(action,
        (source, existing) => existing is FileInfo { LinkTarget: null } && SameContent(source, existing.FullName, cancellationToken)
            ? Result(action, ExportOutcome.AlreadyDone, $"'{action.Destination}' is already a copy of '{source}'.")
            : Conflict(action, $"'{action.Destination}' already exists and is not a copy of '{source}'; left untouched."),
        (source, overwrite) =>
        {
            var sourceTime = File.GetLastWriteTimeUtc(source);
            AtomicFile.Write(action.Destination, stream => CopyFrom(source, stream, cancellationToken), overwrite,
                beforeMove: temp => File.SetLastWriteTimeUtc(temp, sourceTime));
            return Result(action, ExportOutcome.Done, $"Copied '{source}' to '{action.Destination}'.");
        });

    private static ExportActionResult PlaceHardLink(ExportAction action, CancellationToken cancellationToken) => PlacePhoto(action,
        (source, existing) => IsHardLinkOf(source, existing, cancellationToken)
            ? Result(action, ExportOutcome.AlreadyDone, $"'{action.Destination}' is already a hard link of '{source}'.")
            : Conflict(action, $"'{action.Destination}' already exists and is not a hard link of '{source}'; left untouched."),
        (source, overwrite) =>
        {
            if (overwrite)
            {
                AtomicFile.Replace(action.Destination, temp => HardLink(source, temp));
                return Result(action, ExportOutcome.Done, $"Hard-linked '{source}' as '{action.Destination}'.");
            }
            var error = NativeHardLink.Create(source, action.Destination);
            if (error == 0)
                return Result(action, ExportOutcome.Done, $"Hard-linked '{source}' as '{action.Destination}'.");
            if (NativeHardLink.IsCrossVolume(error))
                return Result(action, ExportOutcome.Failed,
                    $"Cannot hard-link '{source}' into '{action.Destination}': they are on different volumes. Use -Mode Copy or SymbolicLink, or an output folder on the photos' volume.");
            throw new IOException($"Cannot hard-link '{source}' as '{action.Destination}': {NativeHardLink.Describe(error)}");
        });

    private static void HardLink(string source, string link)
    {
        var error = NativeHardLink.Create(source, link);
        if (error != 0)
            throw new IOException($"Cannot hard-link '{source}' as '{link}': {NativeHardLink.Describe(error)}");
    }

    private static bool IsHardLinkOf(string source, FileSystemInfo existing, CancellationToken cancellationToken)
    {
        if (existing is not FileInfo { LinkTarget: null })
            return false;
        if (FileIdentity.TryGet(source) is { } sourceId && FileIdentity.TryGet(existing.FullName) is { } destinationId)
            return sourceId == destinationId;
        return SameContent(source, existing.FullName, cancellationToken); // platform cannot tell inodes apart (macOS): content is the best evidence
    }

    private static ExportActionResult PlaceSymbolicLink(ExportAction action)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return PlacePhoto(action,
            (source, existing) => string.Equals(existing.LinkTarget, Path.GetFullPath(source), comparison)
                ? Result(action, ExportOutcome.AlreadyDone, $"'{action.Destination}' already links to '{Path.GetFullPath(source)}'.")
                : Conflict(action, $"'{action.Destination}' already exists and is not a link to '{Path.GetFullPath(source)}'; left untouched."),
            (source, overwrite) =>
            {
                if (overwrite)
                    AtomicFile.Replace(action.Destination, temp => File.CreateSymbolicLink(temp, Path.GetFullPath(source)));
                else
                    File.CreateSymbolicLink(action.Destination, Path.GetFullPath(source));
                return Result(action, ExportOutcome.Done, $"Linked '{action.Destination}' to '{Path.GetFullPath(source)}'.");
            });
    }

    /// <summary>The shared rule of photo placement: the source must exist; a sync first moves an unchanged earlier file
    /// of the photo (<see cref="ExportAction.Previous"/>) into place; whatever is already at the destination is judged by
    /// <paramref name="judgeExisting"/> (AlreadyDone or Conflict) and never replaced, unless it is the earlier export's
    /// file a sync replaces (<see cref="ExportAction.Replaces"/>); otherwise <paramref name="place"/> writes it, and if
    /// the destination appeared meanwhile (it throws IOException) that is judged too.</summary>
    private static ExportActionResult PlacePhoto(ExportAction action, Func<string, FileSystemInfo, ExportActionResult> judgeExisting, Func<string, bool, ExportActionResult> place)
    {
        var source = action.Source ?? throw new ArgumentException($"A {action.Kind} action needs its Source.", nameof(action));
        if (action.Previous is { } previous)
        {
            if (Existing(action.Destination) is null && action.Owned is { } owned && Path.GetDirectoryName(previous) is { } folder
                && !ExportLinks.IsLink(folder) && IsUnchanged(previous, owned, CancellationToken.None))
            {
                File.Move(previous, action.Destination, overwrite: false);
                return Result(action, ExportOutcome.Done, $"Moved '{previous}' to '{action.Destination}'.");
            }
            action = action with { Previous = null, Owned = null };
        }
        if (!File.Exists(source))
            return Result(action, ExportOutcome.Failed, $"Source photo '{source}' no longer exists.");
        if (Existing(action.Destination) is { } existing)
        {
            var judged = judgeExisting(source, existing);
            return judged.Outcome == ExportOutcome.Conflict && IsReplaceable(action, existing.FullName) ? place(source, true) : judged;
        }
        try
        {
            return place(source, false);
        }
        catch (IOException) when (Existing(action.Destination) is { } appeared)
        {
            return judgeExisting(source, appeared);
        }
    }

    private static ExportActionResult WriteRepresentative(ExportAction action)
    {
        var face = action.Face ?? throw new ArgumentException("A WriteRepresentative action needs its Face.", nameof(action));
        byte[] jpeg;
        try
        {
            jpeg = FaceCropWriter.CreateJpeg(face);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return Result(action, ExportOutcome.Failed, $"Cannot make '{action.Destination}': the representative photo '{face.Path}' can no longer be read or decoded ({e.Message}).", e);
        }
        var sourceTime = File.GetLastWriteTimeUtc(face.Path);
        var result = WriteBytes(action, jpeg, replaceable: path => IsReplaceable(action, path), beforeMove: temp => File.SetLastWriteTimeUtc(temp, sourceTime));
        // The same crop from another photo (a duplicate): the earlier export's file stays and takes its new photo's
        // time, as a crop written now would, so the next sync finds it in place without making the crop again.
        if (result.Outcome == ExportOutcome.AlreadyDone && File.GetLastWriteTimeUtc(action.Destination) != sourceTime && IsReplaceable(action, action.Destination))
            File.SetLastWriteTimeUtc(action.Destination, sourceTime);
        return result;
    }

    /// <summary>A sync may replace the earlier export's file at the destination while it is as that export left it.</summary>
    private static bool IsReplaceable(ExportAction action, string path) =>
        action.Replaces is { } owned && IsUnchanged(path, owned, CancellationToken.None);

    /// <summary>Removes an earlier export's file if it is unchanged (<see cref="IsUnchanged"/>); a changed one is the
    /// user's now and is <see cref="ExportOutcome.LeftAlone"/>.</summary>
    private static ExportActionResult RemoveFile(ExportAction action, CancellationToken cancellationToken)
    {
        var owned = action.Owned ?? throw new ArgumentException("A RemoveFile action needs its Owned record.", nameof(action));
        if (Existing(action.Destination) is null)
            return Result(action, ExportOutcome.AlreadyDone, $"'{action.Destination}' is already gone.");
        if (!IsUnchanged(action.Destination, owned, cancellationToken))
            return Result(action, ExportOutcome.LeftAlone, $"'{action.Destination}' was changed after an earlier export wrote it; left untouched.");
        File.Delete(action.Destination);
        return Result(action, ExportOutcome.Done, $"Removed '{action.Destination}'.");
    }

    /// <summary>Removes a group folder that is empty; one holding anything else is left.</summary>
    private static ExportActionResult RemoveDirectory(ExportAction action)
    {
        switch (Existing(action.Destination))
        {
            case null:
                return Result(action, ExportOutcome.AlreadyDone, $"Folder '{action.Destination}' is already gone.");
            case not DirectoryInfo:
                return Result(action, ExportOutcome.LeftAlone, ExportLinks.IsLink(action.Destination)
                    ? ExportLinks.LeftAlone(action.Destination, "a folder of the export")
                    : $"'{action.Destination}' is not a folder; left untouched.");
        }
        var folder = new DirectoryInfo(action.Destination);
        if (folder.EnumerateFileSystemInfos().Any())
            return Result(action, ExportOutcome.LeftAlone, $"Folder '{action.Destination}' holds files that are not the export's; left in place.");
        folder.Delete();
        return Result(action, ExportOutcome.Done, $"Removed folder '{action.Destination}'.");
    }

    /// <summary>Whether the earlier export's file at <paramref name="path"/> is as it left it: a link still to its
    /// source; a file that <see cref="FileStamp.Matches"/> the recorded stamp (length, time and content hash), or a hard
    /// link of its source, or (no stamp recorded) a copy of it, or a crop with its source's time.</summary>
    internal static bool IsUnchanged(string path, FaceManifestOwnedFile owned, CancellationToken cancellationToken)
    {
        if (Existing(path) is not FileInfo file)
            return false;
        if (file.LinkTarget is not null)
            return !owned.Representative && owned.Source is { } target && LinksTo(file, target);
        if (owned.Stamp is { } stamp && stamp.Matches(path, cancellationToken))
            return true;
        if (owned.Source is not { } source || !File.Exists(source))
            return false;
        if (owned.Representative) // not stamped yet (an unfinished export): a crop takes its source's time
            return owned.Stamp is null && file.LastWriteTimeUtc == File.GetLastWriteTimeUtc(source);
        if (FileIdentity.TryGet(source) is { } sourceId && FileIdentity.TryGet(path) is { } fileId && sourceId == fileId)
            return true;
        return owned.Stamp is null && SameContent(source, path, cancellationToken);
    }

    /// <summary>Whether the earlier export's file at <paramref name="path"/> already holds what placing
    /// <paramref name="source"/> there would (checked by stamps where they answer, by content where they do not).</summary>
    internal static bool IsCurrentPhoto(string path, FaceManifestOwnedFile owned, string source, CancellationToken cancellationToken)
    {
        if (Existing(path) is not FileInfo file || !File.Exists(source))
            return false;
        if (file.LinkTarget is not null)
            return LinksTo(file, source);
        if (FileIdentity.TryGet(source) is { } sourceId && FileIdentity.TryGet(path) is { } fileId && sourceId == fileId)
            return true;
        if (owned.Stamp is { } stamp && stamp.HasSizeAndTime(FileStamp.TryRead(path)) && stamp.HasSizeAndTime(FileStamp.TryRead(source)))
            return true;
        return SameContent(source, path, cancellationToken);
    }

    private static bool LinksTo(FileInfo link, string source) =>
        string.Equals(link.LinkTarget, Path.GetFullPath(source), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Writes the incomplete manifest unless one of the same clustering is already there (a rerun: it stays
    /// as it is, finished or not, until the final <see cref="WriteManifest"/>).</summary>
    private static ExportActionResult StartManifest(ExportAction action)
    {
        var manifest = action.Manifest ?? throw new ArgumentException("A StartManifest action needs its Manifest.", nameof(action));
        // A sync rewrites a finished manifest as unfinished, with the earlier files it still has to move or remove.
        if (Existing(action.Destination) is FileInfo { LinkTarget: null } && FaceManifestHeader.TryRead(action.Destination) is { } earlier
            && earlier.Fingerprint == manifest.Fingerprint && (!earlier.Complete || !manifest.Syncing))
            return Result(action, ExportOutcome.AlreadyDone, $"'{action.Destination}' already describes this export.");
        return WriteManifestFile(action, manifest, replaceable: path => action.Sync && FaceManifestHeader.TryRead(path) is not null);
    }

    private static ExportActionResult WriteManifest(ExportAction action)
    {
        var manifest = action.Manifest ?? throw new ArgumentException("A WriteManifest action needs its Manifest.", nameof(action));
        return WriteManifestFile(action, manifest,
            replaceable: path => IsSameClustering(path, manifest) || action.Sync && FaceManifestHeader.TryRead(path) is not null);
    }

    private static bool IsSameClustering(string path, FaceManifest manifest) =>
        FaceManifestHeader.TryRead(path)?.Fingerprint == manifest.Fingerprint;

    /// <summary>Writes the manifest atomically as it is serialised (<see cref="FaceManifest.WriteTo"/>: at a million faces
    /// it is some 550 MB, never held in memory whole); then, as <see cref="WriteBytes"/>, an identical file is
    /// AlreadyDone (left as it is, the temporary removed), a <paramref name="replaceable"/> one is replaced, anything else
    /// is a Conflict. The header of what was written is kept (<see cref="FaceManifestMemo.Written"/>), so the next look
    /// at the folder's header does not read it back.</summary>
    private static ExportActionResult WriteManifestFile(ExportAction action, FaceManifest manifest, Func<string, bool> replaceable)
    {
        var existing = Existing(action.Destination);
        if (existing is not (null or FileInfo { LinkTarget: null }))
            return Conflict(action, $"'{action.Destination}' exists and is not a plain file; left untouched.");
        var file = existing as FileInfo;
        var unchanged = false;
        var moved = AtomicFile.WriteIf(action.Destination, manifest.WriteTo, overwrite: file is not null, move: temp =>
        {
            if (file is null)
                return true;
            unchanged = SameContent(temp, file.FullName, CancellationToken.None);
            if (unchanged || !replaceable(file.FullName))
                return false;
            FaceManifestMemo.Forget(action.Destination); // the earlier manifest is not needed once replaced
            return true;
        });
        if (unchanged)
            return Result(action, ExportOutcome.AlreadyDone, $"'{action.Destination}' is already up to date.");
        if (!moved)
            return Conflict(action, $"'{action.Destination}' already exists with other content; left untouched.");
        FaceManifestMemo.Written(action.Destination, manifest);
        return Result(action, ExportOutcome.Done, $"Wrote '{action.Destination}'.");
    }

    /// <summary>Writes bytes atomically; an identical file is AlreadyDone, a <paramref name="replaceable"/> one is
    /// replaced, anything else is a Conflict.</summary>
    private static ExportActionResult WriteBytes(ExportAction action, byte[] bytes, Func<string, bool> replaceable, Action<string>? beforeMove = null)
    {
        var overwrite = false;
        if (Existing(action.Destination) is { } existing)
        {
            if (existing is not FileInfo { LinkTarget: null } file)
                return Conflict(action, $"'{action.Destination}' exists and is not a plain file; left untouched.");
            if (file.Length == bytes.Length && File.ReadAllBytes(file.FullName).AsSpan().SequenceEqual(bytes))
                return Result(action, ExportOutcome.AlreadyDone, $"'{action.Destination}' is already up to date.");
            if (!replaceable(file.FullName))
                return Conflict(action, $"'{action.Destination}' already exists with other content; left untouched.");
            overwrite = true;
        }
        AtomicFile.Write(action.Destination, stream => stream.Write(bytes), overwrite, beforeMove);
        return Result(action, ExportOutcome.Done, $"Wrote '{action.Destination}'.");
    }

    private static FileSystemInfo? Existing(string path) => ExportLinks.Entry(path);

    private static string Verb(ExportActionKind kind) => kind == ExportActionKind.RemoveFile ? "removed" : "written";

    private static void CopyFrom(string source, Stream destination, CancellationToken cancellationToken) =>
        ReadBlocks(source, (buffer, count) => destination.Write(buffer, 0, count), cancellationToken);

    private static bool SameContent(string a, string b, CancellationToken cancellationToken) =>
        new FileInfo(a).Length == new FileInfo(b).Length && Sha256(a, cancellationToken).AsSpan().SequenceEqual(Sha256(b, cancellationToken));

    internal static byte[] Sha256(string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ReadBlocks(path, (buffer, count) => hash.AppendData(buffer, 0, count), cancellationToken);
        return hash.GetHashAndReset();
    }

    /// <summary>Reads a file in large blocks, checking for cancellation between blocks.</summary>
    private static void ReadBlocks(string path, Action<byte[], int> consume, CancellationToken cancellationToken)
    {
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            consume(buffer, read);
        }
    }

    private static ExportActionResult Conflict(ExportAction action, string message) => Result(action, ExportOutcome.Conflict, message);

    private static ExportActionResult Result(ExportAction action, ExportOutcome outcome, string message, Exception? exception = null) =>
        new(action, outcome, message, exception);
}
