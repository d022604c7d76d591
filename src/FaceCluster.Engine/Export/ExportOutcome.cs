namespace FaceCluster.Engine.Export;

/// <summary>How executing one <see cref="ExportAction"/> ended.</summary>
public enum ExportOutcome
{
    /// <summary>The action wrote what it planned.</summary>
    Done,
    /// <summary>The destination already held exactly what the action would write (a rerun); nothing was written.</summary>
    AlreadyDone,
    /// <summary>Something else is at the destination; it was left untouched.</summary>
    Conflict,
    /// <summary>The action could not be carried out (missing or undecodable source, cross-volume hard link, I/O error).</summary>
    Failed,
    /// <summary>Not attempted: an earlier step failed or conflicted, so faces.json is not marked complete.</summary>
    Skipped,
    /// <summary>-Sync: a file an earlier export wrote was changed since, so it was left untouched (not a failure: the
    /// file is the user's now).</summary>
    LeftAlone,
}
