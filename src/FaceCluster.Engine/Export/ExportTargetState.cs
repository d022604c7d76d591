namespace FaceCluster.Engine.Export;

/// <summary>What is at the output path before an export (see <see cref="ExportTarget.Inspect"/>).</summary>
public enum ExportTargetState
{
    /// <summary>Nothing there: the export creates the folder.</summary>
    Missing,
    /// <summary>An empty folder.</summary>
    Empty,
    /// <summary>A folder with a faces.json of ours: a previous (maybe interrupted) export; safe to export into again.</summary>
    PreviousExport,
    /// <summary>A folder with other content and no faces.json of ours: Export-FaceCluster refuses it without -Force.</summary>
    NonEmpty,
    /// <summary>A file, not a folder: cannot be exported into.</summary>
    NotADirectory,
}
