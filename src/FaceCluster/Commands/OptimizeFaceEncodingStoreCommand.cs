using System.Management.Automation;
using FaceCluster.Engine.Store;
using FaceCluster.Model;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Removes from an encoding store the photos whose files are gone.</para>
/// Get-FaceEncoding -Store only adds; this forgets each path where no file is found now, and each photo (with its faces)
/// that no remaining path shows. It refuses, removing nothing, when more than a fifth of the paths (or all) are gone:
/// a drive or share that is not mounted, or only half, looks like that. -AllowShrink removes them anyway.
/// </summary>
[Cmdlet(VerbsCommon.Optimize, "FaceEncodingStore", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EncodingStorePruneSummary))]
public sealed class OptimizeFaceEncodingStoreCommand : PSCmdlet
{
    private const string PathParameterSet = "Path";
    private const string LiteralPathParameterSet = "LiteralPath";

    /// <summary>The store files (Get-FaceEncoding -Store), wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The store files, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Removes the gone photos even when they are more than a fifth of those the store knows.</summary>
    [Parameter]
    public SwitchParameter AllowShrink { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in Stores())
        {
            if (!File.Exists(path))
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"There is no encoding store at '{path}'.", path),
                    "EncodingStoreNotFound", ErrorCategory.ObjectNotFound, path));
                continue;
            }

            try
            {
                Optimize(path);
            }
            catch (EncodingStoreException ex)
            {
                WriteError(new ErrorRecord(ex, "EncodingStore" + ex.Problem, ex.Problem switch
                {
                    EncodingStoreProblem.WouldShrink => ErrorCategory.LimitsExceeded,
                    EncodingStoreProblem.Busy => ErrorCategory.ResourceBusy,
                    EncodingStoreProblem.ReadOnly => ErrorCategory.PermissionDenied,
                    EncodingStoreProblem.NotAStore => ErrorCategory.InvalidArgument,
                    _ => ErrorCategory.InvalidData,
                }, ex.FilePath));
            }
        }
    }

    private IEnumerable<string> Stores()
    {
        if (ParameterSetName == LiteralPathParameterSet)
        {
            return LiteralPath.Select(p => LiteralFileSystemPath.Resolve(SessionState, p));
        }

        var paths = new List<string>();
        foreach (string pattern in Path)
        {
            try
            {
                paths.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out _));
            }
            catch (ItemNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "EncodingStoreNotFound", ErrorCategory.ObjectNotFound, pattern));
            }
        }

        return paths;
    }

    private void Optimize(string path)
    {
        using EncodingStore store = EncodingStore.Open(path);
        // The whole-file check that opening a store leaves out (it reads every page): nothing is removed from a
        // damaged store.
        WriteProgress(new ProgressRecord(3, "Optimizing the encoding store", $"Checking '{path}'"));
        store.CheckIntact();
        WriteProgress(new ProgressRecord(3, "Optimizing the encoding store", $"Looking for the photos of '{path}'"));
        StorePrunePlan plan = store.PlanPrune();
        WriteProgress(new ProgressRecord(3, "Optimizing the encoding store", "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose(FormattableString.Invariant($"'{path}' knows {plan.KnownPaths} photo path(s); {plan.GonePaths.Count} are gone ({plan.GoneFolders} with their folder)."));
        var summary = new EncodingStorePruneSummary { Path = store.FilePath, KnownPaths = plan.KnownPaths, GonePaths = plan.GonePaths.Count };
        // A plan that would shrink the store too far is refused (EncodingStoreWouldShrink) before anything is asked or removed.
        if (plan.GonePaths.Count > 0 && ((plan.WouldShrink && !AllowShrink)
            || ShouldProcess(path, FormattableString.Invariant($"Forget {plan.GonePaths.Count} photo path(s) no longer found"))))
        {
            (int paths, int photos, int faces) = store.Prune(plan, AllowShrink);
            summary = summary with { RemovedPaths = paths, RemovedPhotos = photos, RemovedFaces = faces };
        }

        WriteObject(summary);
    }
}
