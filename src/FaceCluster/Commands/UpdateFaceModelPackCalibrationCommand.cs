using System.Management.Automation;
using FaceCluster.Engine.Calibration;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Model;
using FaceCluster.Serialization;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Calibrates a model pack's library rule on labelled photos and writes it into the pack definition.</para>
/// Takes the FaceEncoding objects of labelled photos (Get-FaceEncoding -Model PACK on folders with one sub-folder per
/// person, as Measure-FaceCluster reads them) and writes one ModelPackCalibration: the share of different people's
/// face pairs at or below each distance, the ceiling and the pair threshold; with ShouldProcess, writes them into the
/// definition's "linkageThreshold" and "libraryThreshold".
/// </summary>
[Cmdlet(VerbsData.Update, "FaceModelPackCalibration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ModelPackCalibration))]
public sealed class UpdateFaceModelPackCalibrationCommand : PSCmdlet
{
    private readonly List<FaceEncoding> _faces = new();

    /// <summary>FaceEncoding objects of the labelled photos (or copies of them from another process).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>The pack definition (JSON: one entry of packs.json's "packs") to write the calibration into.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Definition { get; set; } = string.Empty;

    /// <summary>Folders of labelled photos, one sub-folder per person; each is paired within itself.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[] GroundTruthPath { get; set; } = Array.Empty<string>();

    /// <summary>Those of GroundTruthPath whose people measure the ceiling (library-shaped sets); default: all of them.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CeilingPath { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double FalsePairShare { get; set; } = new PackCalibrationOptions().FalsePairShare;

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double CeilingQuantile { get; set; } = new PackCalibrationOptions().CeilingQuantile;

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double PairShare { get; set; } = new PackCalibrationOptions().PairShare;

    protected override void ProcessRecord()
    {
        foreach (PSObject input in InputObject)
        {
            try
            {
                _faces.Add(FaceObjectReader.ReadEncoding(input));
            }
            catch (InvalidFaceObjectException ex)
            {
                WriteError(new ErrorRecord(ex, "InvalidFaceEncoding", ErrorCategory.InvalidData, ex.Target));
            }
        }
    }

    protected override void EndProcessing()
    {
        string definition = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Definition);
        string json;
        DistanceMetric metric;
        try
        {
            json = File.ReadAllText(definition);
            metric = PackDefinitionWriter.ReadMetric(json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "DefinitionNotFound", ErrorCategory.ObjectNotFound, definition));
            return;
        }
        catch (FormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(new InvalidDataException($"{definition}: {ex.Message}", ex), "DefinitionInvalid", ErrorCategory.InvalidData, definition));
            return;
        }

        var ceilings = (CeilingPath ?? GroundTruthPath).Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)).ToArray();
        var sets = new List<LabelledSet>();
        foreach (string root in GroundTruthPath.Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)))
        {
            try
            {
                sets.Add(new LabelledSet(root, GroundTruth.FromFolderTree(root), ceilings.Contains(root, Engine.FileSystem.PathComparison.Comparer)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "GroundTruthNotFound", ErrorCategory.ObjectNotFound, root));
                return;
            }
        }

        ModelPackCalibration calibration;
        try
        {
            calibration = PackCalibrator.Calibrate(_faces, sets, metric,
                new PackCalibrationOptions { FalsePairShare = FalsePairShare, CeilingQuantile = CeilingQuantile, PairShare = PairShare });
        }
        catch (InvalidOperationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "NotEnoughLabelledFaces", ErrorCategory.InvalidData, null));
            return;
        }

        if (calibration.MaxThreshold is null)
        {
            WriteWarning($"No two people have {new PackCalibrationOptions().MinPhotosForCeiling} or more photos with a face under {string.Join(", ", ceilings)}: the ceiling (maxThreshold) stays as the definition has it.");
        }

        if (ShouldProcess(definition, "Write linkageThreshold and libraryThreshold"))
        {
            try
            {
                File.WriteAllText(definition, PackDefinitionWriter.Apply(json, calibration));
            }
            catch (FormatException ex)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidDataException($"{definition}: {ex.Message}", ex), "DefinitionInvalid", ErrorCategory.InvalidData, definition));
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "DefinitionNotWritten", ErrorCategory.WriteError, definition));
                return;
            }
        }

        WriteObject(calibration);
    }
}
