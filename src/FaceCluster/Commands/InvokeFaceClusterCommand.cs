using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Export;
using FaceCluster.Model;
using FaceCluster.Engine.Models;
using FaceCluster.Engine.People;
using FaceCluster.Serialization;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Groups face encodings by identity.</para>
/// Collects every encoding from the pipeline, clusters them, and writes one FaceGroup per person (largest
/// first) and, last, one for the doubtful faces that fit no cluster. With -Previous, people keep the ids and names
/// of an earlier export and its corrections constrain the clustering; what it saw done to that folder (a renamed
/// folder, a deleted photo) is recorded in its corrections.json.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "FaceCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("FaceCluster.Model.FaceGroup")]
public sealed class InvokeFaceClusterCommand : PSCmdlet, IDisposable
{
    private readonly List<FaceEncoding> _faces = new();
    private CancellationTokenSource? _cancellation;

    /// <summary>FaceEncoding objects, or copies of them from another process (PSObject, so that a copy binds and a bad
    /// one gets its own error rather than a binding failure).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    [Parameter]
    public ClusteringAlgorithm Algorithm { get; set; }

    [Parameter]
    [ValidateRange(1e-6, 1000.0)]
    public double Epsilon { get; set; }

    [Parameter]
    [ValidateRange(1, 100000)]
    public int MinSamples { get; set; }

    [Parameter]
    public DistanceMetric Metric { get; set; }

    [Parameter]
    public SwitchParameter AllowSamePhoto { get; set; }

    /// <summary>Clusters every detection: no face-quality gate (FaceQualityGate) keeps probable non-faces out of the people.</summary>
    [Parameter]
    public SwitchParameter NoFaceGate { get; set; }

    /// <summary>How pairs of near faces are found: Auto (exact for smaller libraries, approximate for large ones), Exact or Approximate.</summary>
    [Parameter]
    public NeighbourSearch NeighbourSearch { get; set; } = NeighbourSearch.Auto;

    /// <summary>An earlier export folder (or its faces.json) whose people, names and corrections this run keeps.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Previous { get; set; }

    /// <summary>With -Previous, clusters every face again instead of placing only the new ones (a full clustering).</summary>
    [Parameter]
    public SwitchParameter Recluster { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    protected override void BeginProcessing() => _cancellation = new CancellationTokenSource();

    protected override void ProcessRecord()
    {
        foreach (PSObject input in InputObject)
        {
            if (input is null)
            {
                continue;
            }

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
        RefuseOddLengths();
        if (_faces.Count == 0)
        {
            WriteVerbose("No faces to cluster.");
            return;
        }

        var notices = new List<PeopleNotice>();
        PreviousExport? previous = ReadPrevious();
        notices.AddRange(previous?.Notices ?? []);
        previous = previous?.Relocate(_faces.Select(f => f.Path), notices);
        FaceClusteringOptions options = ResolveOptions(_faces[0].Model, previous?.History(notices));

        if (Recluster && previous is null)
        {
            WriteWarning("-Recluster applies with -Previous only; without an earlier export every run clusters every face.");
        }

        WriteVerbose(options.Algorithm == ClusteringAlgorithm.Dbscan
            ? FormattableString.Invariant($"Clustering {_faces.Count} face(s) with DBSCAN: epsilon {options.Epsilon}, min samples {options.MinSamples}, {options.Metric}.")
            : options.LibraryThreshold is null
                ? FormattableString.Invariant($"Clustering {_faces.Count} face(s) with average linkage: epsilon {options.Epsilon}, {options.Metric}.")
                : FormattableString.Invariant($"Clustering {_faces.Count} face(s) with average linkage: faces seen once pair up within {options.Epsilon}, groups merge within the library's threshold, {options.Metric}."));

        var reporter = new ProgressReporter(this, activityId: 2, "Clustering faces");
        var progress = new SynchronousProgress(fraction => reporter.Report((int)(fraction * 1000), 1000));
        IReadOnlyList<FaceGroup> groups;
        var clusterer = new FaceClusterer();
        try
        {
            groups = progress.RunOnWorker(() => clusterer.Cluster(_faces, options, _cancellation!.Token, progress));
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "IncomparableEncodings", ErrorCategory.InvalidData, null));
            return;
        }
        catch (NotSupportedException ex) when (clusterer.Search is null && NeighbourSearch == NeighbourSearch.Approximate)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ApproximateSearchUnavailable", ErrorCategory.NotInstalled, NeighbourSearch));
            return;
        }
        catch (NotSupportedException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "CorrectionsNeedAverageLinkage", ErrorCategory.InvalidArgument, Previous));
            return;
        }
        finally
        {
            reporter.Complete();
        }

        if (clusterer.Search is { } search)
        {
            WriteVerbose(search.Reason);
        }

        if (clusterer.RunReason is { } reason)
        {
            WriteVerbose(clusterer.Run == ClusteringRun.Incremental
                ? FormattableString.Invariant($"Incremental run ({reason}): the earlier people kept, {clusterer.NewFaces.JoinedPeople} face(s) joined them; the other new faces formed new people or are doubtful. -Recluster clusters every face.")
                : $"Full clustering: {reason}.");
        }

        if (clusterer.GroupThreshold is double groupThreshold && clusterer.Run == ClusteringRun.Full)
        {
            WriteVerbose(FormattableString.Invariant($"The library's group threshold: {groupThreshold} (chosen from the distances among up to {LibraryThreshold.SampleSize} of its faces; -Epsilon fixes one threshold instead)."));
        }

        if (previous is not null)
        {
            notices.AddRange(clusterer.Notices);
            PersonCorrections concluded = previous.Conclude(groups, clusterer.NextPersonId, notices);
            Report(notices);
            SaveCorrections(previous, concluded);
        }

        foreach (FaceGroup group in groups)
        {
            WriteObject(group);
        }
    }

    /// <summary>Drops, each with its InvalidFaceEncoding error, the encodings whose vector length is not the one most of
    /// them have (ties: the first's): a copy cut or altered.</summary>
    private void RefuseOddLengths()
    {
        int length = _faces.GroupBy(f => f.Vector.Length).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        foreach (FaceEncoding face in _faces.Where(f => f.Vector.Length != length))
        {
            InvalidFaceObjectException ex = FaceObjectReader.LengthMismatch(face, length);
            WriteError(new ErrorRecord(ex, "InvalidFaceEncoding", ErrorCategory.InvalidData, ex.Target));
        }

        _faces.RemoveAll(f => f.Vector.Length != length);
    }

    private PreviousExport? ReadPrevious()
    {
        if (Previous is null)
        {
            return null;
        }

        string path = LiteralFileSystemPath.Resolve(SessionState, Previous);
        try
        {
            PreviousExport previous = PreviousExport.Load(path);
            WriteVerbose(previous.Manifest is null
                ? $"'{path}' holds no earlier export yet: people are numbered afresh."
                : FormattableString.Invariant($"Keeping the {previous.Manifest.Clusters.Count(c => c.Id >= 0)} people of '{previous.Folder}'."));
            return previous;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "PreviousExportInvalid", ErrorCategory.InvalidData, path));
            return null;
        }
    }

    /// <summary>Each notice goes out as an information record (tags FaceCluster, PeopleNotice and its code) holding the
    /// <see cref="PeopleNotice"/>, for scripts; and, for logs, folder changes recorded as verbose, the rest as warnings.</summary>
    private void Report(IEnumerable<PeopleNotice> notices)
    {
        foreach (PeopleNotice notice in notices)
        {
            WriteInformation(notice, ["FaceCluster", nameof(PeopleNotice), notice.Code]);
            if (notice.Code is "PersonFolderRenamed" or "PersonPhotoDeleted" or "CorrectionFollowedPhoto")
            {
                WriteVerbose(notice.Message);
            }
            else
            {
                WriteWarning($"{notice.Code}: {notice.Message}");
            }
        }
    }

    /// <summary>Records in the earlier export's corrections.json what this run concluded, merged under its lock.</summary>
    private void SaveCorrections(PreviousExport previous, PersonCorrections concluded)
    {
        if (concluded.SameAs(previous.ReadCorrections) || !Directory.Exists(previous.Folder)
            || !ShouldProcess(previous.Folder, $"Record corrections in {PersonCorrections.FileName}"))
        {
            return;
        }

        var notices = new List<PeopleNotice>();
        try
        {
            previous.Save(concluded, notices);
        }
        catch (ExportRefusedException ex)
        {
            WriteError(new ErrorRecord(ex, "ExportLocked", ErrorCategory.ResourceBusy, previous.Folder));
        }
        catch (InvalidDataException ex)
        {
            WriteError(new ErrorRecord(ex, "PreviousExportInvalid", ErrorCategory.InvalidData, previous.Folder));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, "CorrectionsNotSaved", ErrorCategory.WriteError, previous.Folder));
        }

        Report(notices);
    }

    protected override void StopProcessing() => _cancellation?.Cancel();

    public void Dispose() => _cancellation?.Dispose();

    private FaceClusteringOptions ResolveOptions(string modelName, PersonHistory? previous)
    {
        ModelPack? pack = null;
        try
        {
            pack = ModelPacks.Catalog.Packs.FirstOrDefault(p => string.Equals(p.Name, modelName, StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteVerbose($"Model catalogue unreadable ({ex.Message}); using built-in defaults.");
        }
        catch (ModelCatalogException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ModelCatalogInvalid", ErrorCategory.InvalidData, ex.FilePath));
        }

        bool bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
        ClusteringAlgorithm algorithm = bound(nameof(Algorithm)) ? Algorithm : pack?.Algorithm ?? ClusteringAlgorithm.AverageLinkage;
        bool dbscan = algorithm == ClusteringAlgorithm.Dbscan;
        if (pack is null && !(bound(nameof(Epsilon)) && bound(nameof(Metric)) && (!dbscan || bound(nameof(MinSamples)))))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"Encodings come from model pack '{modelName}', which this module does not know; pass -Epsilon and -Metric (and -MinSamples for DBSCAN)."),
                "UnknownModel", ErrorCategory.InvalidArgument, modelName));
        }

        if (!dbscan && bound(nameof(MinSamples)))
        {
            WriteWarning("-MinSamples applies to -Algorithm Dbscan only; average linkage ignores it.");
        }

        double epsilon = bound(nameof(Epsilon)) ? Epsilon : dbscan ? pack!.Epsilon : pack!.LinkageThreshold;
        return new FaceClusteringOptions
        {
            Algorithm = algorithm,
            Epsilon = epsilon,
            EpsilonSource = bound(nameof(Epsilon)) ? SettingSource.Parameter : SettingSource.ModelPack,
            // Set -Epsilon and it is the one threshold, as it always was; leave it and the pack's rule adapts to the library.
            LibraryThreshold = dbscan || bound(nameof(Epsilon)) || (bound(nameof(Metric)) && Metric != pack?.Metric) ? null : pack?.LibraryThreshold,
            MinSamples = bound(nameof(MinSamples)) ? MinSamples : pack?.MinSamples ?? 2,
            Metric = bound(nameof(Metric)) ? Metric : pack!.Metric,
            SeparateSamePhoto = !AllowSamePhoto,
            QualityGate = NoFaceGate ? null : FaceQualityGate.Default,
            MaxDegreeOfParallelism = ThrottleLimit,
            NeighbourSearch = NeighbourSearch,
            Previous = previous,
            Recluster = Recluster,
        };
    }
}
