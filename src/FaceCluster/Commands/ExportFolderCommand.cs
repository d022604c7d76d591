using System.Management.Automation;

namespace FaceCluster.Commands;

/// <summary>
/// What the cmdlets that read or correct an export share: the export folder, as <c>-Path</c> (wildcards allowed) or
/// <c>-LiteralPath</c> (which the <c>Export</c> property of FaceCluster's objects binds to), resolved by <see cref="Folders"/>.
/// </summary>
public abstract class ExportFolderCommand : PSCmdlet
{
    protected const string PathParameterSet = "Path";
    protected const string LiteralPathParameterSet = "LiteralPath";

    /// <summary>The export folder (wildcards allowed).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The export folder, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "Export")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>The folders <c>-Path</c> matches (none, with an <c>ExportNotFound</c> error, when it matches nothing), or <c>-LiteralPath</c>.</summary>
    protected IEnumerable<string> Folders()
    {
        if (ParameterSetName == LiteralPathParameterSet)
        {
            return [LiteralFileSystemPath.Resolve(SessionState, LiteralPath)];
        }

        try
        {
            return SessionState.Path.GetResolvedProviderPathFromPSPath(Path, out _);
        }
        catch (ItemNotFoundException e)
        {
            WriteError(new ErrorRecord(e, "ExportNotFound", ErrorCategory.ObjectNotFound, Path));
            return [];
        }
    }
}
