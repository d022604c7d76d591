using System.Management.Automation;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Records that a face is not a person of an export; the next Invoke-FaceCluster -Previous run keeps it out of that person.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "FaceClusterMember", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FaceRemovalCorrection))]
public sealed class RemoveFaceClusterMemberCommand : PersonIdCorrectionCommand
{
    /// <summary>The photo: its source path, or its copy in the person's folder.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Photo { get; set; } = "";

    /// <summary>Which face of the photo; every face of it in that person when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    public int FaceIndex { get; set; } = -1;

    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book)
    {
        string photo = LiteralFileSystemPath.Resolve(SessionState, Photo);
        IReadOnlyList<FaceRemovalCorrection> removals = book.Remove(Id, photo, MyInvocation.BoundParameters.ContainsKey(nameof(FaceIndex)) ? FaceIndex : null);
        return (removals, FormattableString.Invariant($"Take {string.Join(", ", removals.Select(r => r.Face))} out of person {Id}"));
    }
}
