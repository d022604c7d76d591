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
    /// <summary>A person folder of an earlier export is now a symbolic link (or junction): nothing in it is the
    /// export's, nothing is moved, removed or written through it, and the link is left as it is.</summary>
    LinkLeftAlone,
}
