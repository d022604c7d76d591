namespace FaceCluster.Engine.Export;

/// <summary>Why an export was refused before it wrote anything (see <see cref="ExportRefusedException"/>).</summary>
public enum ExportRefusal
{
    /// <summary>The folder holds other things and no earlier export, and -Force was not given.</summary>
    OutputFolderNotEmpty,
    /// <summary>The folder holds an export (finished or not) of a different clustering.</summary>
    ClusteringMismatch,
    /// <summary>The folder holds an export made with another mode (Copy, HardLink, SymbolicLink).</summary>
    ModeMismatch,
    /// <summary>There are no groups, and the folder holds an earlier export whose manifest would be emptied.</summary>
    NothingToExport,
    /// <summary>Another export holds the folder's lock.</summary>
    Locked,
    /// <summary>The folder holds an unfinished sync, which only a sync may finish.</summary>
    SyncUnfinished,
    /// <summary>A sync would take too much out of the export (<see cref="ExportShrink.Refused"/>), and -AllowShrink was
    /// not given.</summary>
    WouldShrink,
}
