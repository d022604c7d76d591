using System.Management.Automation;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.Review;
using FaceCluster.Model;
using FaceCluster.Serialization;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Writes clustered photos to one folder per person, a doubtful folder, a manifest and a review page.</para>
/// Never modifies a source, never overwrites a file it did not write, never mixes two clusterings in one
/// folder, and can be rerun to complete an interrupted export. -Sync brings an earlier export up to date.
/// </summary>
[Cmdlet(VerbsData.Export, "FaceCluster", DefaultParameterSetName = PathParameterSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DirectoryInfo), typeof(ExportSyncSummary))]
public sealed class ExportFaceClusterCommand : PSCmdlet, IDisposable
{
    private const string PathParameterSet = "Path";
    private const string LiteralPathParameterSet = "LiteralPath";

    private readonly List<FaceGroup> _groups = new();
    private CancellationTokenSource? _cancellation;

    /// <summary>FaceGroup objects, or copies of them from another process (see Invoke-FaceCluster's InputObject).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = string.Empty;

    [Parameter]
    public ExportMode Mode { get; set; } = ExportMode.Copy;

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    public SwitchParameter Sync { get; set; }

    /// <summary>-Sync may take more than a fifth of the export's photos out of it, a named person, or every person.</summary>
    [Parameter]
    public SwitchParameter AllowShrink { get; set; }

    /// <summary>Get-FaceEncoding's errors (its -ErrorVariable): the photos that failed, recorded in faces.json and
    /// listed on the review page.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public ErrorRecord[]? EncodingError { get; set; }

    protected override void BeginProcessing() => _cancellation = new CancellationTokenSource();

    protected override void ProcessRecord()
    {
        foreach (PSObject input in InputObject)
        {
            if (input is null)
            {
                continue;
            }

            try
            {
                _groups.Add(FaceObjectReader.ReadGroup(input));
            }
            catch (InvalidFaceObjectException ex)
            {
                WriteError(new ErrorRecord(ex, "InvalidFaceGroup", ErrorCategory.InvalidData, ex.Target));
            }
        }
    }

    protected override void EndProcessing()
    {
        string output = ResolveOutputDirectory();
        ExportPlan plan = PlanOrRefuse(output) with { Sync = Sync, AllowShrink = AllowShrink };
        // Refusals come before -WhatIf, so a preview shows them too.
        Refusable(() => ExportTarget.Check(plan, Force));
        string what = Sync ? "Bring the export up to date with" : "Export";
        if (!ShouldProcess(output, $"{what} {_groups.Count} group(s) of faces (mode {Mode})"))
        {
            WritePlanAsWhatIf(Sync ? Refusable(() => SyncPlanner.Plan(plan, _cancellation!.Token)) : plan);
            return;
        }

        using ExportSession session = Refusable(() => ExportSession.Start(plan, Force, cancellationToken: _cancellation!.Token));
        plan = session.Plan;
        if (session.State == ExportTargetState.PreviousExport)
        {
            WriteVerbose(Sync
                ? $"'{output}' holds an earlier export: bringing it up to date; {plan.Kept} file(s) already in place are kept."
                : $"'{output}' holds an earlier export of these groups: completing it; files already in place are kept.");
        }

        ReportNotes(plan);

        if (session.RemovedTemporaries > 0)
        {
            WriteVerbose($"Removed {session.RemovedTemporaries} temporary file(s) left by an interrupted export.");
        }

        var reporter = new ProgressReporter(this, activityId: 3, "Exporting face clusters");
        int done = 0;
        bool complete = false;
        try
        {
            foreach (ExportActionResult result in session.Run(_cancellation!.Token))
            {
                reporter.Report(++done, plan.Actions.Count, result.Action.Target);
                Report(result);
                complete = result.Action.Kind == ExportActionKind.WriteManifest && result.Succeeded;
            }
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }

        reporter.Complete();
        if (complete)
        {
            WriteReviewPage(plan);
        }
        else
        {
            WriteVerbose("The review page is written once the export is complete.");
        }

        if (Sync)
        {
            WriteObject(session.Summarize());
        }

        if (PassThru)
        {
            foreach (ExportAction action in plan.Actions)
            {
                if (action.Kind == ExportActionKind.CreateDirectory && action.GroupLabel is not null)
                {
                    WriteObject(new DirectoryInfo(action.Destination));
                }
            }
        }
    }

    /// <summary>The plan, or a terminating <c>InvalidFaceGroup</c> error, with nothing written, for a group whose label
    /// is no folder name valid everywhere, is one of the export's own names, or is another group's.</summary>
    private ExportPlan PlanOrRefuse(string output)
    {
        try
        {
            return ExportPlanner.Plan(_groups, output, Mode, FailedPhotos());
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidFaceGroup", ErrorCategory.InvalidData, output));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    protected override void StopProcessing() => _cancellation?.Cancel();

    public void Dispose() => _cancellation?.Dispose();

    /// <summary>The photos named by -EncodingError: each error whose target is a file's full path (as Get-FaceEncoding's
    /// are), with the first part of its FullyQualifiedErrorId; any other error is left out with a warning. Null (not
    /// recorded) when -EncodingError is not given or is null: an -ErrorVariable is an empty list when nothing failed,
    /// so null is more likely a misspelt variable than a clean run.</summary>
    private List<FaceManifestFailedPhoto>? FailedPhotos()
    {
        if (EncodingError is null)
        {
            return null;
        }

        var photos = new List<FaceManifestFailedPhoto>();
        foreach (ErrorRecord error in EncodingError)
        {
            string errorId = error.FullyQualifiedErrorId.Split(',')[0];
            string? path = (error.TargetObject is PSObject wrapped ? wrapped.BaseObject : error.TargetObject) switch
            {
                FileSystemInfo file => file.FullName,
                string text when System.IO.Path.IsPathFullyQualified(text) => text,
                _ => null,
            };
            if (path is null)
            {
                WriteWarning($"The error '{errorId}' names no photo ('{error.TargetObject}' is not a file's full path): it is not listed among the photos that failed.");
                continue;
            }

            photos.Add(new FaceManifestFailedPhoto { Path = path, ErrorId = errorId, Message = error.ErrorDetails?.Message ?? error.Exception.Message });
        }

        WriteVerbose($"{photos.Count} photo(s) that failed to encode, listed in {FaceManifest.FileName} and on the review page.");
        return photos;
    }

    private string ResolveOutputDirectory()
    {
        string input = ParameterSetName == LiteralPathParameterSet ? LiteralPath : Path;
        string resolved;
        if (ParameterSetName == PathParameterSet && WildcardPattern.ContainsWildcardCharacters(input))
        {
            var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(input, out _);
            if (matches.Count != 1)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"'{input}' must name exactly one folder; it matches {matches.Count}."),
                    "AmbiguousOutputPath", ErrorCategory.InvalidArgument, input));
            }

            resolved = matches[0];
        }
        else
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input);
        }

        if (File.Exists(resolved))
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"'{resolved}' is a file; the output must be a folder."),
                "OutputPathIsFile", ErrorCategory.InvalidArgument, resolved));
        }

        return resolved;
    }

    /// <summary>Runs <paramref name="check"/>; a refusal of the whole export terminates it with the refusal's id, and
    /// an output folder (or lock file in it) that cannot be created with ExportFailed.</summary>
    private T Refusable<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (ExportRefusedException e)
        {
            (string id, ErrorCategory category) = e.Reason switch
            {
                ExportRefusal.OutputFolderNotEmpty => ("OutputFolderNotEmpty", ErrorCategory.ResourceExists),
                ExportRefusal.ClusteringMismatch => ("ExportClusteringMismatch", ErrorCategory.ResourceExists),
                ExportRefusal.ModeMismatch => ("ExportModeMismatch", ErrorCategory.ResourceExists),
                ExportRefusal.NothingToExport => ("NothingToExport", ErrorCategory.InvalidData),
                ExportRefusal.Locked => ("ExportLocked", ErrorCategory.ResourceBusy),
                ExportRefusal.SyncUnfinished => ("ExportSyncUnfinished", ErrorCategory.ResourceExists),
                ExportRefusal.WouldShrink => ("ExportWouldShrink", ErrorCategory.InvalidData),
                _ => throw new ArgumentOutOfRangeException(nameof(check), e.Reason, "Unknown refusal."),
            };
            ThrowTerminatingError(new ErrorRecord(e, id, category, e.OutputDirectory));
            throw; // not reached: ThrowTerminatingError always throws
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ExportFailed", ErrorCategory.WriteError, ParameterSetName == LiteralPathParameterSet ? LiteralPath : Path));
            throw; // not reached
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private void WritePlanAsWhatIf(ExportPlan plan)
    {
        // -WhatIf: show every step the export would take; nothing is written.
        if (!MyInvocation.BoundParameters.ContainsKey("WhatIf"))
        {
            return;
        }

        foreach (ExportAction action in plan.Actions)
        {
            ShouldProcess(action.Target, action.Description);
        }

        ShouldProcess(System.IO.Path.Combine(plan.OutputDirectory, ReviewSite.IndexFileName),
            $"Write the review page and its face thumbnails (in '{ReviewSite.ThumbnailFolder}')");
        ReportNotes(plan);
    }

    /// <summary>-Sync: what is left as the user left it (a deleted photo in verbose, a changed file or a linked person
    /// folder as an error).</summary>
    private void ReportNotes(ExportPlan plan)
    {
        foreach (ExportSyncNote note in plan.Notes)
        {
            switch (note.Kind)
            {
                case ExportSyncNoteKind.DeletedByUser:
                    WriteVerbose(note.ToString());
                    break;
                case ExportSyncNoteKind.LinkLeftAlone:
                    WriteError(new ErrorRecord(new IOException(note.ToString()), "ExportLinkLeftAlone", ErrorCategory.ResourceExists, note.Path));
                    break;
                default:
                    WriteError(new ErrorRecord(new IOException(note.ToString()), "SyncFileModified", ErrorCategory.ResourceExists, note.Path));
                    break;
            }
        }
    }

    /// <summary>Writes index.html and its thumbnails once every photo is in place (the page links to them).</summary>
    private void WriteReviewPage(ExportPlan plan)
    {
        var reporter = new ProgressReporter(this, activityId: 4, "Writing the review page");
        var progress = new SynchronousProgress(fraction => reporter.Report((int)(fraction * 1000), 1000, unit: "thumbnails"));
        ReviewPageResult page;
        try
        {
            page = progress.RunOnWorker(() => ReviewPageWriter.Write(plan.OutputDirectory, _groups, plan.Manifest, DateTimeOffset.Now, progress, _cancellation!.Token));
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "ReviewPageFailed", ErrorCategory.WriteError, System.IO.Path.Combine(plan.OutputDirectory, ReviewSite.IndexFileName)));
            return;
        }
        finally
        {
            reporter.Complete();
        }

        foreach (ReviewThumbnailFailure failure in page.Failures)
        {
            WriteError(new ErrorRecord(failure.Error, "ThumbnailFailed", ErrorCategory.ReadError, failure.Path));
        }

        foreach (ReviewFileLeftAlone left in page.LeftAlone)
        {
            WriteError(new ErrorRecord(new IOException(left.Message), left.IsLink ? "ExportLinkLeftAlone" : "ReviewFileLeftAlone", ErrorCategory.ResourceExists, left.Path));
        }

        WriteVerbose($"Review page: {page.IndexPath} ({page.Pages} file(s); {page.ThumbnailsMade} thumbnail(s) made, {page.ThumbnailsReused} reused).");
    }

    private void Report(ExportActionResult result)
    {
        ExportAction action = result.Action;
        switch (result.Outcome)
        {
            case ExportOutcome.Done:
                WriteVerbose($"{action.Description}: {action.Target}");
                break;
            case ExportOutcome.AlreadyDone:
                WriteVerbose($"Already in place: {action.Target}");
                break;
            case ExportOutcome.LeftAlone when action.Kind == ExportActionKind.RemoveFile:
                WriteError(new ErrorRecord(new IOException(result.Message), "SyncFileModified", ErrorCategory.ResourceExists, action.Target));
                break;
            case ExportOutcome.LeftAlone:
                WriteVerbose(result.Message);
                break;
            case ExportOutcome.Skipped:
                WriteError(new ErrorRecord(
                    new IOException(result.Message),
                    "ExportIncomplete", ErrorCategory.NotSpecified, action.Target));
                break;
            case ExportOutcome.Conflict:
                WriteError(new ErrorRecord(
                    result.Exception ?? new IOException(result.Message),
                    "ExportConflict", ErrorCategory.ResourceExists, action.Target));
                break;
            default:
                WriteError(new ErrorRecord(
                    result.Exception ?? new IOException(result.Message),
                    "ExportFailed", ErrorCategory.WriteError, action.Source ?? action.Target));
                break;
        }
    }
}
