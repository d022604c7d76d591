using System.Management.Automation;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Names a person of an export; the next Invoke-FaceCluster -Previous run keeps the name.</para>
/// </summary>
[Cmdlet(VerbsCommon.Rename, "FaceCluster", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(PersonNameCorrection))]
public sealed class RenameFaceClusterCommand : PersonIdCorrectionCommand
{
    /// <summary>The person's name; their folder is this name made safe as a file name.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book) =>
        ([book.Rename(Id, Name)], FormattableString.Invariant($"Name person {Id} '{Name.Trim()}'"));
}
