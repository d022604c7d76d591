using System.Management.Automation;

namespace FaceCluster.Commands;

/// <summary>A correction cmdlet that writes the corrections it made only when asked (-PassThru).</summary>
public abstract class PersonCorrectionCommand : CorrectionCommand
{
    /// <summary>Writes the correction(s) made.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override bool WritesMade => PassThru;
}
