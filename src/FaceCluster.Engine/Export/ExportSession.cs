using FaceCluster.Engine.FileSystem;
using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>
/// One export of an <see cref="ExportPlan"/> into its folder, holding the folder's <see cref="ExportLock"/> from before
/// it looks at the folder until it is disposed. <see cref="Start"/> refuses (with nothing written) what
/// <see cref="ExportTarget.Check"/> refuses; <see cref="Run"/> carries out the actions one at a time. A sync's plan
/// (<see cref="ExportPlan.Sync"/>) is turned into the differences by <see cref="SyncPlanner"/> under the lock.
/// </summary>
public sealed class ExportSession : IDisposable
{
    private readonly ExportLock _lock;
    private readonly ExportActionResult _folderCreated;
    private readonly List<ExportActionResult> _results = [];

    private ExportSession(ExportPlan plan, ExportActionResult folderCreated, ExportLock folderLock, ExportTargetState state, int removedTemporaries)
    {
        Plan = plan;
        _folderCreated = folderCreated;
        _lock = folderLock;
        State = state;
        RemovedTemporaries = removedTemporaries;
    }

    public ExportPlan Plan { get; }

    /// <summary>What the folder held when the lock was taken (<see cref="ExportTargetState.PreviousExport"/>: this
    /// export completes an earlier one).</summary>
    public ExportTargetState State { get; }

    /// <summary>How many stale temporaries of an interrupted export were removed.</summary>
    public int RemovedTemporaries { get; }

    /// <summary>Checks the folder, creates it (the plan's first action: the lock lives in it), takes its lock, checks
    /// again (another export may have written it meanwhile) and removes stale temporaries (not in a folder that holds
    /// no export of ours).</summary>
    /// <param name="plan">The export.</param>
    /// <param name="force">Allow a folder that holds other things and no earlier export.</param>
    /// <param name="lockTimeout">How long to wait for another export of the same folder; default
    /// <see cref="ExportLock.DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Stops the wait for the lock.</param>
    /// <exception cref="ExportRefusedException">Refused; nothing was written (a refusal under the lock comes from a
    /// folder another export has already created, lock file included).</exception>
    /// <exception cref="IOException">The output folder cannot be created.</exception>
    public static ExportSession Start(ExportPlan plan, bool force, TimeSpan? lockTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ExportTarget.Check(plan, force);
        var createFolder = plan.Actions[0];
        if (createFolder.Kind != ExportActionKind.CreateDirectory || createFolder.Destination != plan.OutputDirectory)
            throw new ArgumentException("The plan does not start by creating its output folder.", nameof(plan));
        var folderCreated = ExportExecutor.Execute(createFolder, cancellationToken);
        if (!folderCreated.Succeeded)
            throw new IOException(folderCreated.Message, folderCreated.Exception);
        var folderLock = ExportLock.Acquire(plan.OutputDirectory, lockTimeout ?? ExportLock.DefaultTimeout, cancellationToken);
        try
        {
            var state = ExportTarget.Check(plan, force);
            // A sync's refusals (ExportShrink) come before anything is removed.
            var planned = plan.Sync ? SyncPlanner.Plan(plan, cancellationToken) : plan;
            // A folder with no export of ours (-Force) has no temporaries of ours: a .fc-tmp-* file there is the user's.
            var removed = state == ExportTargetState.NonEmpty ? 0 : ExportExecutor.CleanStaleTemporaries(plan.OutputDirectory);
            return new ExportSession(planned, folderCreated, folderLock, state, removed);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>Executes the plan's actions in order, yielding each result as it comes (the first, creating the output
    /// folder, was done by <see cref="Start"/>). Stops after the incomplete faces.json fails (nothing else may be
    /// written without it). Once any step has failed or
    /// conflicted, the final faces.json is <see cref="ExportOutcome.Skipped"/>: the export is not marked complete,
    /// and a rerun after the problem is fixed finishes it.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; see <see cref="ExportExecutor.Execute"/>.</exception>
    public IEnumerable<ExportActionResult> Run(CancellationToken cancellationToken = default)
    {
        _results.Clear();
        _results.Add(_folderCreated);
        yield return _folderCreated;
        var failed = 0;
        foreach (var step in Plan.Actions.Skip(1))
        {
            var action = step;
            if (action.Kind == ExportActionKind.WriteManifest && failed > 0)
            {
                var skipped = new ExportActionResult(action, ExportOutcome.Skipped,
                    $"'{action.Destination}' was not marked complete: {failed} step(s) failed or conflicted. Fix them and run the same export again to finish it.");
                _results.Add(skipped);
                yield return skipped;
                continue;
            }
            if (action.Kind == ExportActionKind.WriteManifest)
                action = action with { Manifest = action.Manifest!.WithStamps(Plan.OutputDirectory, UserModifiedFiles(), Plan.Written, Plan.InPlace, cancellationToken) };
            var result = ExportExecutor.Execute(action, cancellationToken);
            _results.Add(result);
            yield return result;
            if (result.Succeeded)
                continue;
            failed++;
            if (action.Kind == ExportActionKind.StartManifest)
                yield break;
        }
    }

    /// <summary>What a sync did, counted from the results <see cref="Run"/> has given so far and the plan's kept files
    /// and notes.</summary>
    public ExportSyncSummary Summarize()
    {
        int Count(Func<ExportActionResult, bool> match) => _results.Count(match);
        static bool IsPhoto(ExportAction a) => a.Kind is ExportActionKind.PlacePhotoCopy or ExportActionKind.PlacePhotoHardLink or ExportActionKind.PlacePhotoSymbolicLink;
        static bool IsFile(ExportAction a) => IsPhoto(a) || a.Kind is ExportActionKind.WriteRepresentative or ExportActionKind.RemoveFile;
        int Notes(ExportSyncNoteKind kind) => Plan.Notes.Count(n => n.Kind == kind);
        return new ExportSyncSummary
        {
            Path = Plan.OutputDirectory,
            People = Plan.Manifest.Clusters.Count(c => c.Id >= 0),
            Photos = Plan.Manifest.Clusters.Sum(c => c.PhotoCount),
            Added = Count(r => r.Outcome == ExportOutcome.Done && IsFile(r.Action) && r.Action.Kind != ExportActionKind.RemoveFile && r.Action.Previous is null && r.Action.Replaces is null),
            Moved = Count(r => r.Outcome == ExportOutcome.Done && r.Action.Previous is not null),
            Updated = Count(r => r.Outcome == ExportOutcome.Done && r.Action.Replaces is not null),
            Removed = Count(r => r.Outcome == ExportOutcome.Done && r.Action.Kind == ExportActionKind.RemoveFile),
            Kept = Plan.Kept + Count(r => r.Outcome == ExportOutcome.AlreadyDone && IsFile(r.Action) && r.Action.Kind != ExportActionKind.RemoveFile),
            LeftAlone = Notes(ExportSyncNoteKind.ModifiedByUser) + Count(r => r.Outcome == ExportOutcome.LeftAlone && r.Action.Kind == ExportActionKind.RemoveFile),
            DeletedByUser = Notes(ExportSyncNoteKind.DeletedByUser),
            Failed = Count(r => r.Outcome is ExportOutcome.Failed or ExportOutcome.Conflict),
            Complete = _results.Any(r => r.Action.Kind == ExportActionKind.WriteManifest && r.Succeeded),
        };
    }

    /// <summary>Destinations (relative, '/' separated) of files the user changed: the final manifest records no stamp
    /// for them, so no later sync takes them for the export's.</summary>
    private HashSet<string> UserModifiedFiles() => Plan.Notes.Where(n => n.Kind == ExportSyncNoteKind.ModifiedByUser)
        .Select(n => Path.GetRelativePath(Plan.OutputDirectory, n.Path).Replace('\\', '/'))
        .ToHashSet(PathComparison.Comparer);

    /// <summary>Releases the folder's lock, and the earlier faces.json if it is still kept (<see cref="FaceManifestMemo"/>):
    /// this export is done with it.</summary>
    public void Dispose()
    {
        FaceManifestMemo.Forget(Plan.ManifestPath);
        _lock.Dispose();
    }
}
