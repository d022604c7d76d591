using System.Management.Automation;
using FaceCluster.Engine.People;
using FaceCluster.Engine.Review;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Applies the changes made on an export's review page, downloaded as one file, to the export's corrections: all of them or none; the next Invoke-FaceCluster -Previous run keeps them.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "FaceClusterCorrection", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FaceClusterCorrection))]
public sealed class ImportFaceClusterCorrectionCommand : CorrectionCommand
{
    private ReviewEdits? _edits;
    private string _file = "";

    /// <summary>The edits file the review page gave to download.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string FilePath { get; set; } = "";

    protected override bool WritesMade => true;

    protected override void ProcessRecord()
    {
        _file = LiteralFileSystemPath.Resolve(SessionState, FilePath);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(_file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "EditsFileNotFound", ErrorCategory.ObjectNotFound, _file));
            return;
        }

        try
        {
            _edits = ReviewEdits.Read(bytes, _file);
        }
        catch (ReviewEditsRejectedException e)
        {
            WriteError(new ErrorRecord(e, "Edits" + e.Problem, ErrorCategory.InvalidData, _file));
            return;
        }

        base.ProcessRecord();
    }

    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book)
    {
        IReadOnlyList<object> made = _edits!.ApplyTo(book, _file);
        string action = _edits.Edits.Count == 0
            ? $"Apply no change from '{_file}' (it holds none)"
            : $"Apply {_edits.Edits.Count} change(s) from '{_file}': {string.Join("; ", _edits.Edits)}";
        return (made.Select(entry => FaceClusterCorrection.From(book.Folder, entry)), action);
    }
}
