using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>What an export will write, in execution order. Made by <see cref="ExportPlanner.Plan"/>; carried out
/// one action at a time by <see cref="ExportExecutor.Execute"/>.</summary>
public sealed record ExportPlan
{
    /// <summary>Full path of the output folder.</summary>
    public required string OutputDirectory { get; init; }

    public required ExportMode Mode { get; init; }

    /// <summary>The output folder, faces.json marked incomplete, then per group its folder, photos and representative,
    /// and faces.json marked complete last.</summary>
    public required IReadOnlyList<ExportAction> Actions { get; init; }

    /// <summary>The faces.json document the last action writes (<see cref="FaceManifest.Complete"/> true).</summary>
    public required FaceManifest Manifest { get; init; }

    /// <summary>An <c>Export-FaceCluster -Sync</c>: the folder may hold an earlier export of another clustering, which
    /// <see cref="SyncPlanner"/> turns into the differences (under the folder's lock, see <see cref="ExportSession"/>).</summary>
    public bool Sync { get; init; }

    /// <summary>-Sync -AllowShrink: the sync may take out of the export what <see cref="ExportShrink.Refused"/> refuses.</summary>
    public bool AllowShrink { get; init; }

    /// <summary>-Sync: files already in place that the plan leaves as they are.</summary>
    public int Kept { get; init; }

    /// <summary>-Sync: files left as the user left them.</summary>
    public IReadOnlyList<ExportSyncNote> Notes { get; init; } = [];

    /// <summary>-Sync: the earlier export's record of each file it keeps or moves, by destination (relative, '/'
    /// separated), so the final faces.json carries over its content hash instead of reading the file again.</summary>
    public IReadOnlyDictionary<string, FileStamp> Written { get; init; } = new Dictionary<string, FileStamp>();

    /// <summary>-Sync: the kept files (destinations, as in <see cref="Written"/>) that the planner found with the length
    /// and time of their record in <see cref="Written"/>: the final faces.json records that stamp without looking at
    /// them again, so a file changed while the sync runs does not pass for the export's.</summary>
    public IReadOnlySet<string> InPlace { get; init; } = new HashSet<string>();

    /// <summary>Full path of faces.json.</summary>
    public string ManifestPath => Path.Combine(OutputDirectory, FaceManifest.FileName);
}
