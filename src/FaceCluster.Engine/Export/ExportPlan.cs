using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>What an export will write, in execution order. Made by <see cref="ExportPlanner.Plan"/>; carried out
/// one action at a time by <see cref="ExportExecutor.Execute"/>.</summary>
public sealed class ExportPlan
{
    /// <summary>Full path of the output folder.</summary>
    public required string OutputDirectory { get; init; }

    public required ExportMode Mode { get; init; }

    /// <summary>The output folder, faces.json marked incomplete, then per group its folder, photos and representative,
    /// and faces.json marked complete last.</summary>
    public required IReadOnlyList<ExportAction> Actions { get; init; }

    /// <summary>The faces.json document the last action writes (<see cref="FaceManifest.Complete"/> true).</summary>
    public required FaceManifest Manifest { get; init; }

    /// <summary>Full path of faces.json.</summary>
    public string ManifestPath => Path.Combine(OutputDirectory, FaceManifest.FileName);
}
