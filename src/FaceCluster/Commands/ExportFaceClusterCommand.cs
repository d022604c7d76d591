using System.Management.Automation;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.Model;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Writes clustered photos to one folder per person, a doubtful folder and a manifest.</para>
/// Never modifies a source, never overwrites a file it did not write, and can be rerun to complete an
/// interrupted export.
/// </summary>
[Cmdlet(VerbsData.Export, "FaceCluster", DefaultParameterSetName = PathParameterSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DirectoryInfo))]
public sealed class ExportFaceClusterCommand : PSCmdlet, IDisposable
{
    private const string PathParameterSet = "Path";
    private const string LiteralPathParameterSet = "LiteralPath";

    private readonly List<FaceGroup> _groups = new();
    private CancellationTokenSource? _cancellation;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public FaceGroup[] InputObject { get; set; } = Array.Empty<FaceGroup>();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet)]
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

    protected override void BeginProcessing() => _cancellation = new CancellationTokenSource();

    protected override void ProcessRecord()
    {
        foreach (FaceGroup group in InputObject)
        {
            if (group is not null)
            {
                _groups.Add(group);
            }
        }
    }

    protected override void EndProcessing()
    {
        string output = ResolveOutputDirectory();
        CheckTarget(output);

        ExportPlan plan = ExportPlanner.Plan(_groups, output, Mode);
        if (!ShouldProcess(output, $"Export {_groups.Count} group(s) of faces ({plan.Actions.Count} action(s), mode {Mode})"))
        {
            WritePlanAsWhatIf(plan);
            return;
        }

        if (Directory.Exists(output))
        {
            ExportExecutor.CleanStaleTemporaries(output);
        }

        var reporter = new ProgressReporter(this, activityId: 3, "Exporting face clusters");
        var executor = new ExportExecutor();
        int done = 0;
        foreach (ExportAction action in plan.Actions)
        {
            reporter.Report(done++, plan.Actions.Count, action.Target);
            ExportActionResult result;
            try
            {
                result = executor.Execute(action, _cancellation!.Token);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }

            Report(action, result);
        }

        reporter.Complete();
        if (PassThru)
        {
            foreach (string folder in plan.GroupDirectories)
            {
                WriteObject(new DirectoryInfo(folder));
            }
        }
    }

    protected override void StopProcessing() => _cancellation?.Cancel();

    public void Dispose() => _cancellation?.Dispose();

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

    private void CheckTarget(string output)
    {
        ExportTargetState state = ExportTarget.Inspect(output);
        if (state == ExportTargetState.NonEmpty && !Force)
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"The folder '{output}' is not empty and holds no earlier FaceCluster export. Use -Force to export into it anyway (nothing in it is overwritten)."),
                "OutputFolderNotEmpty", ErrorCategory.ResourceExists, output));
        }

        if (state == ExportTargetState.PreviousExport)
        {
            WriteVerbose($"'{output}' holds an earlier export: completing it; files already in place are kept.");
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
    }

    private void Report(ExportAction action, ExportActionResult result)
    {
        switch (result.Outcome)
        {
            case ExportOutcome.Done:
                WriteVerbose($"{action.Description}: {action.Target}");
                break;
            case ExportOutcome.AlreadyDone:
                WriteVerbose($"Already in place: {action.Target}");
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
