namespace FaceCluster.Engine.Export;

/// <summary>
/// One export of an <see cref="ExportPlan"/> into its folder, holding the folder's <see cref="ExportLock"/> from before
/// it looks at the folder until it is disposed. <see cref="Start"/> refuses (with nothing written) what
/// <see cref="ExportTarget.Check"/> refuses; <see cref="Run"/> carries out the actions one at a time.
/// </summary>
public sealed class ExportSession : IDisposable
{
    private readonly ExportLock _lock;
    private readonly ExportActionResult _folderCreated;

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
    /// again (another export may have written it meanwhile) and removes stale temporaries.</summary>
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
            return new ExportSession(plan, folderCreated, folderLock, state, ExportExecutor.CleanStaleTemporaries(plan.OutputDirectory));
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
        yield return _folderCreated;
        var failed = 0;
        foreach (var action in Plan.Actions.Skip(1))
        {
            if (action.Kind == ExportActionKind.WriteManifest && failed > 0)
            {
                yield return new ExportActionResult(action, ExportOutcome.Skipped,
                    $"'{action.Destination}' was not marked complete: {failed} step(s) failed or conflicted. Fix them and run the same export again to finish it.");
                continue;
            }
            var result = ExportExecutor.Execute(action, cancellationToken);
            yield return result;
            if (result.Succeeded)
                continue;
            failed++;
            if (action.Kind == ExportActionKind.StartManifest)
                yield break;
        }
    }

    /// <summary>Releases the folder's lock.</summary>
    public void Dispose() => _lock.Dispose();
}
