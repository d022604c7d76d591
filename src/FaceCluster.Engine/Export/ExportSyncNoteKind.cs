namespace FaceCluster.Engine.Export;

/// <summary>Why <see cref="SyncPlanner"/> left a file as the user left it.</summary>
public enum ExportSyncNoteKind
{
    /// <summary>A complete export wrote this photo and the user deleted it while its face stayed with the same person:
    /// not written again.</summary>
    DeletedByUser,
    /// <summary>A file an earlier export wrote was changed since: never removed or overwritten, and no longer the
    /// export's.</summary>
    ModifiedByUser,
}
