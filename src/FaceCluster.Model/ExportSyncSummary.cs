namespace FaceCluster.Model;

/// <summary>
/// What one <c>Export-FaceCluster -Sync</c> did to its folder, counted in files: one object per run, for a log line.
/// </summary>
public sealed record ExportSyncSummary
{
    /// <summary>Full path of the export folder.</summary>
    public required string Path { get; init; }

    /// <summary>Groups exported, the doubtful one excluded.</summary>
    public int People { get; init; }

    /// <summary>Photo files the export holds (a photo in two people's folders counts twice).</summary>
    public int Photos { get; init; }

    /// <summary>Photos written that were not there.</summary>
    public int Added { get; init; }

    /// <summary>Photos moved from an earlier folder or name to their new one.</summary>
    public int Moved { get; init; }

    /// <summary>Files of an earlier export replaced in place (a source photo edited, a new representative face).</summary>
    public int Updated { get; init; }

    /// <summary>Files of an earlier export removed because they no longer belong.</summary>
    public int Removed { get; init; }

    /// <summary>Files already in place and left as they were.</summary>
    public int Kept { get; init; }

    /// <summary>Files of an earlier export the user changed: left untouched (each also reported as an error).</summary>
    public int LeftAlone { get; init; }

    /// <summary>Photos the user deleted from a person's folder: not written again.</summary>
    public int DeletedByUser { get; init; }

    /// <summary>Steps that failed or met a file that is not the export's.</summary>
    public int Failed { get; init; }

    /// <summary>True when faces.json was marked complete.</summary>
    public bool Complete { get; init; }
}
