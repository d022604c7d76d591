using System.Management.Automation;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Records that the faces of some photos of a person are another, new person; the next Invoke-FaceCluster -Previous run makes them one.</para>
/// </summary>
[Cmdlet(VerbsCommon.Split, "FaceCluster", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FaceMoveCorrection))]
public sealed class SplitFaceClusterCommand : PersonIdCorrectionCommand
{
    /// <summary>The photos whose faces in the person become the new person: source paths, or copies in the export.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string[] Photo { get; set; } = [];

    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book)
    {
        IReadOnlyList<FaceMoveCorrection> moves = book.Split(Id, Photo.Select(p => LiteralFileSystemPath.Resolve(SessionState, p)));
        return (moves, FormattableString.Invariant($"Make {string.Join(", ", moves.Select(m => m.Face))} of person {Id} new person {moves[0].Into}"));
    }
}
