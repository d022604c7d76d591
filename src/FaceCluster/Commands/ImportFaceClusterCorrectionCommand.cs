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
    private readonly List<(string File, ReviewEdits Edits)> _files = [];

    /// <summary>The edits file(s) the review page gave to download, applied in order, together.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] FilePath { get; set; } = [];

    protected override bool WritesMade => true;

    protected override void ProcessRecord()
    {
        _files.Clear();
        foreach (string path in FilePath)
        {
            string file = LiteralFileSystemPath.Resolve(SessionState, path);
            try
            {
                _files.Add((file, ReviewEdits.Read(File.ReadAllBytes(file), file)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "EditsFileNotFound", ErrorCategory.ObjectNotFound, file));
            }
            catch (ReviewEditsRejectedException e)
            {
                WriteError(new ErrorRecord(e, "Edits" + e.Problem, ErrorCategory.InvalidData, file));
            }
        }

        if (_files.Count == FilePath.Length)
        {
            base.ProcessRecord(); // all the files or none
        }
    }

    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book)
    {
        var made = new List<object>();
        foreach ((string file, ReviewEdits edits) in _files)
        {
            made.AddRange(edits.ApplyTo(book, file));
        }

        var changes = _files.SelectMany(f => f.Edits.Edits).ToArray();
        string from = string.Join(", ", _files.Select(f => $"'{f.File}'"));
        string action = changes.Length == 0
            ? $"Apply no change from {from} (none held)"
            : $"Apply {changes.Length} change(s) from {from}: {string.Join("; ", changes.Select(c => c.ToString()))}";
        return (made.Where(entry => book.Corrections.Without(entry) is not null).Distinct().Select(entry => FaceClusterCorrection.From(book.Folder, entry)), action);
    }
}
