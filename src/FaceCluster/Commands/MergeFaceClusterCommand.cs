using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Records that two people of an export are one; the next Invoke-FaceCluster -Previous run keeps them together.</para>
/// </summary>
[Cmdlet(VerbsData.Merge, "FaceCluster", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(PersonMergeCorrection))]
public sealed class MergeFaceClusterCommand : PersonIdCorrectionCommand
{
    /// <summary>The person whose id the merged person keeps.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    [ArgumentCompleter(typeof(PersonIdCompleter))]
    public int Into { get; set; }

    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book) =>
        ([book.Merge(Id, Into)], FormattableString.Invariant($"Merge person {Id} into person {Into}"));
}
