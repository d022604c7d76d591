using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.Models;
using FaceCluster.Model;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Installs a model pack from a pack definition and the network files the user has.</para>
/// Checks every file's SHA-256 against the definition and puts the pack in the per-user pack folder, where every
/// later session of the user finds it.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "FaceModelPack", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true,
    ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FaceModelPack))]
public sealed class InstallFaceModelPackCommand : PSCmdlet
{
    private const string PathParameterSet = "Path";
    private const string LiteralPathParameterSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Definition { get; set; } = "";

    private readonly List<string> _sources = new();

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathParameterSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter]
    public SwitchParameter AcceptLicense { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    // Files may come one by one from the pipeline (Get-ChildItem): gathered here, installed once they are all in.
    protected override void ProcessRecord() => _sources.AddRange(ParameterSetName == LiteralPathParameterSet
        ? LiteralPath.Select(SessionState.Path.GetUnresolvedProviderPathFromPSPath)
        : Path.SelectMany(p => SessionState.Path.GetResolvedProviderPathFromPSPath(p, out _)));

    protected override void EndProcessing()
    {
        string definition = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Definition);
        string[] sources = _sources.ToArray();
        InstalledModelPacks store;
        try
        {
            store = ModelPacks.Installed;
        }
        catch (Exception ex) when (ex is ModelCatalogException or ModelFileException or IOException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ModelCatalogInvalid", ErrorCategory.InvalidData, ModelPackCatalog.ManifestName));
            return;
        }

        try
        {
            ModelPack pack = store.ReadDefinition(definition);
            if (pack.LicenseAcceptanceRequired && AcceptLicense)
            {
                WriteVerbose($"Licence of model pack '{pack.Name}', accepted with -AcceptLicense: {pack.License}");
            }

            if (!ShouldProcess(System.IO.Path.Combine(store.Root, pack.Name), $"Install model pack '{pack.Name}'"))
            {
                return;
            }

            WriteObject(ModelPacks.Describe(store.Install(definition, sources, AcceptLicense, Force)));
        }
        catch (ModelPackDefinitionException ex)
        {
            WriteError(ModelPackErrors.Of(ex));
        }
        catch (ModelPackInstallException ex)
        {
            WriteError(ModelPackErrors.Of(ex));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, "ModelPackInstallFailed", ErrorCategory.WriteError, store.Root));
        }
    }
}
