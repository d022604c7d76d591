using System.Management.Automation;
using FaceCluster.Engine.Evaluation;
using FaceCluster.Engine.Export;
using FaceCluster.Model;
using FaceCluster.Serialization;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Scores a clustering against a labelled folder-per-person sample of photos.</para>
/// Takes the groups of Invoke-FaceCluster (or the faces.json of an export) and writes one ClusteringScore:
/// pairwise and BCubed precision, recall and F1, cluster and identity counts, the doubtful share and the number of
/// faces left unscored. A labelled photo credits only its largest face to its person, unless -AllFaces.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "FaceCluster", DefaultParameterSetName = InputObjectSet)]
[OutputType("FaceCluster.Model.ClusteringScore")]
public sealed class MeasureFaceClusterCommand : PSCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string ManifestPathSet = "ManifestPath";

    private readonly List<ScoredFace> _faces = new();

    /// <summary>FaceGroup objects, or copies of them from another process (see Invoke-FaceCluster's InputObject).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    [Parameter(Mandatory = true, ParameterSetName = ManifestPathSet)]
    [ValidateNotNullOrEmpty]
    public string ManifestPath { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string GroundTruthPath { get; set; } = string.Empty;

    /// <summary>Credit every face of a labelled photo to its person, not only the largest.</summary>
    [Parameter]
    public SwitchParameter AllFaces { get; set; }

    protected override void ProcessRecord()
    {
        foreach (PSObject input in InputObject)
        {
            FaceGroup group;
            try
            {
                group = FaceObjectReader.ReadGroup(input);
            }
            catch (InvalidFaceObjectException ex)
            {
                WriteError(new ErrorRecord(ex, "InvalidFaceGroup", ErrorCategory.InvalidData, ex.Target));
                continue;
            }

            foreach (ClusterMember member in group.Members)
            {
                _faces.Add(new ScoredFace(member.Face.Path, member.Face.FaceIndex, group.Id, member.Face.Box.Area));
            }
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ManifestPathSet)
        {
            ReadManifest();
        }

        string root = SessionState.Path.GetUnresolvedProviderPathFromPSPath(GroundTruthPath);
        GroundTruth truth;
        try
        {
            truth = GroundTruth.FromFolderTree(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "GroundTruthNotFound", ErrorCategory.ObjectNotFound, root));
            return;
        }

        ClusteringScore score;
        int unlabelled;
        try
        {
            score = ClusteringScorer.Score(_faces, truth, out unlabelled, AllFaces);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "DuplicateFace", ErrorCategory.InvalidData, null));
            return;
        }

        if (unlabelled > 0)
        {
            WriteVerbose($"{unlabelled} of {_faces.Count} face(s) are in photos outside {root} and were not scored.");
        }

        if (score.UnscoredFaceCount > unlabelled)
        {
            WriteVerbose($"{score.UnscoredFaceCount - unlabelled} face(s) are not the largest of their labelled photo and were not scored (-AllFaces scores them).");
        }

        if (score.ItemCount == 0)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException($"None of the {_faces.Count} face(s) is in a photo under {root}: nothing to score. The ground truth needs one folder per person holding that person's photos."),
                "NoLabelledFaces", ErrorCategory.InvalidData, root));
            return;
        }

        WriteObject(score);
    }

    private void ReadManifest()
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ManifestPath);
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, FaceManifest.FileName);
        }

        FaceManifest manifest;
        try
        {
            manifest = FaceManifest.Read(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ManifestNotFound", ErrorCategory.ObjectNotFound, path));
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidDataException($"Cannot read the manifest {path}: {ex.Message}", ex), "ManifestInvalid", ErrorCategory.InvalidData, path));
            return;
        }

        foreach (FaceManifestFace face in manifest.Faces)
        {
            _faces.Add(new ScoredFace(face.Path, face.FaceIndex, face.ClusterId, face.Box.ToFaceBox().Area));
        }
    }
}
