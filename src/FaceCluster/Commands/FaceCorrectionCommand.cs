using System.Management.Automation;

namespace FaceCluster.Commands;

/// <summary>A correction about the faces of one photo of the export (<c>-Photo</c>, <c>-FaceIndex</c>), which the
/// objects of Get-FaceClusterMember bind to by property name.</summary>
public abstract class FaceCorrectionCommand : PersonCorrectionCommand
{
    /// <summary>The photo: its source path, or its copy in the export.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Photo { get; set; } = "";

    /// <summary>Which face of the photo; every face of it when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    public int FaceIndex { get; set; } = -1;

    /// <summary>The photo's full path.</summary>
    protected string PhotoPath => LiteralFileSystemPath.Resolve(SessionState, Photo);

    /// <summary>The face index given, or null for every face of the photo.</summary>
    protected int? FaceIndexGiven => MyInvocation.BoundParameters.ContainsKey(nameof(FaceIndex)) ? FaceIndex : null;
}
