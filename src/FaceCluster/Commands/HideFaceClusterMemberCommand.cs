using System.Management.Automation;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Records that a face is not a face, or is to be ignored; the next Invoke-FaceCluster -Previous run keeps it out of every person, among the doubtful faces.</para>
/// </summary>
[Cmdlet(VerbsCommon.Hide, "FaceClusterMember", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FaceHideCorrection))]
public sealed class HideFaceClusterMemberCommand : FaceCorrectionCommand
{
    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book)
    {
        IReadOnlyList<FaceHideCorrection> hides = book.Hide(PhotoPath, FaceIndexGiven);
        return (hides, $"Hide {string.Join(", ", hides.Select(h => h.Face))}");
    }
}
