using System.Management.Automation;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Lists the corrections of an export as objects, which Undo-FaceClusterCorrection takes back.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "FaceClusterCorrection", DefaultParameterSetName = PathParameterSet)]
[OutputType(typeof(FaceClusterCorrection))]
public sealed class GetFaceClusterCorrectionCommand : ExportFolderCommand
{
    protected override void ProcessRecord()
    {
        foreach (string folder in Folders())
        {
            try
            {
                WriteObject(FaceClusterCorrection.Read(folder), enumerateCollection: true);
            }
            catch (FileNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "ExportNotFound", ErrorCategory.ObjectNotFound, folder));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "ExportInvalid", ErrorCategory.InvalidData, folder));
            }
        }
    }
}
