using System.Management.Automation;
using FaceCluster.Completion;

namespace FaceCluster.Commands;

/// <summary>A correction about one person of the export, named by <c>-Id</c>.</summary>
public abstract class PersonIdCorrectionCommand : PersonCorrectionCommand
{
    /// <summary>The person's id (<c>FaceGroup.Id</c>, the <c>id</c> of a cluster in faces.json).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    [ArgumentCompleter(typeof(PersonIdCompleter))]
    public int Id { get; set; }
}
