using System.Management.Automation;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Engine.Review;

namespace FaceCluster.Commands;

/// <summary>
/// What the correction cmdlets share: making corrections in each folder through <see cref="CorrectionBook"/>, saved
/// together or not at all, with -WhatIf/-Confirm, and a non-terminating error per folder that cannot take them.
/// </summary>
public abstract class CorrectionCommand : ExportFolderCommand
{
    /// <summary>Whether the corrections made are written to the pipeline.</summary>
    protected abstract bool WritesMade { get; }

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
                    if (WritesMade)
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
            catch (ReviewEditsRejectedException e)
            {
                WriteError(new ErrorRecord(e, "Edits" + e.Problem, ErrorCategory.InvalidData, folder));
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
