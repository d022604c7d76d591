using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.Models;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Removes a model pack installed with Install-FaceModelPack.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Uninstall, "FaceModelPack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class UninstallFaceModelPackCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ModelPackCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        InstalledModelPacks store = ModelPacks.Installed;
        foreach (string name in Name)
        {
            if (!ShouldProcess(System.IO.Path.Combine(store.Root, name), "Uninstall model pack"))
            {
                continue;
            }

            try
            {
                store.Uninstall(name);
            }
            catch (ModelPackInstallException ex)
            {
                WriteError(ModelPackErrors.Of(ex));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, "ModelPackUninstallFailed", ErrorCategory.WriteError, name));
            }
        }
    }
}
