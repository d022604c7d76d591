using System.Management.Automation;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// What the correction cmdlets share: making one correction in each folder through <see cref="CorrectionBook"/>, with -WhatIf/-Confirm, -PassThru, and a
/// non-terminating error per folder that cannot take it.
/// </summary>
public abstract class PersonCorrectionCommand : ExportFolderCommand
{
    /// <summary>Writes the correction(s) made.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Makes the correction in <paramref name="book"/> and describes it for ShouldProcess.</summary>
    protected abstract (IEnumerable<object> Made, string Action) Correct(CorrectionBook book);

    protected override void ProcessRecord()
    {
        foreach (string folder in Folders())
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
            catch (FaceNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "FaceNotFound", ErrorCategory.ObjectNotFound, folder));
            }
            catch (CorrectionNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "CorrectionNotFound", ErrorCategory.ObjectNotFound, folder));
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
}
