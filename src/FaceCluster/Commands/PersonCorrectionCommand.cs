using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// What the correction cmdlets share: the export folder (<c>-Path</c> with wildcards, or <c>-LiteralPath</c>), and
/// making one correction in each folder through <see cref="CorrectionBook"/>, with -WhatIf/-Confirm, -PassThru, and a
/// non-terminating error per folder that cannot take it.
/// </summary>
public abstract class PersonCorrectionCommand : PSCmdlet
{
    protected const string PathParameterSet = "Path";
    protected const string LiteralPathParameterSet = "LiteralPath";

    /// <summary>The export folder (wildcards allowed).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The export folder, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>The person's id (<c>FaceGroup.Id</c>, the <c>id</c> of a cluster in faces.json).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    [ArgumentCompleter(typeof(PersonIdCompleter))]
    public int Id { get; set; }

    /// <summary>Writes the correction(s) made.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Makes the correction in <paramref name="book"/> and describes it for ShouldProcess.</summary>
    protected abstract (IEnumerable<object> Made, string Action) Correct(CorrectionBook book);

    protected override void ProcessRecord()
    {
        foreach (string folder in ResolveFolders())
        {
            try
            {
                // The lock is not held across a -Confirm prompt: the correction is made again, checked under the
                // lock, when it is confirmed.
                string action;
                using (CorrectionBook preview = CorrectionBook.Open(folder))
                {
                    action = Correct(preview).Action;
                }

                if (ShouldProcess(folder, action))
                {
                    using CorrectionBook book = CorrectionBook.Open(folder);
                    IEnumerable<object> made = Correct(book).Made;
                    book.Save();
                    if (PassThru)
                    {
                        WriteObject(made, enumerateCollection: true);
                    }
                }
            }
            catch (ExportRefusedException e)
            {
                WriteError(new ErrorRecord(e, "ExportLocked", ErrorCategory.ResourceBusy, folder));
            }
            catch (FileNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "ExportNotFound", ErrorCategory.ObjectNotFound, folder));
            }
            catch (InvalidDataException e)
            {
                WriteError(new ErrorRecord(e, "ExportInvalid", ErrorCategory.InvalidData, folder));
            }
            catch (PersonNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "PersonNotFound", ErrorCategory.ObjectNotFound, folder));
            }
            catch (ArgumentException e)
            {
                WriteError(new ErrorRecord(e, "InvalidCorrection", ErrorCategory.InvalidArgument, folder));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "CorrectionsNotSaved", ErrorCategory.WriteError, folder));
            }
        }
    }

    private IEnumerable<string> ResolveFolders()
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
