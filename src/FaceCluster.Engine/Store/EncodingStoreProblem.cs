namespace FaceCluster.Engine.Store;

/// <summary>Why an encoding store cannot be used.</summary>
public enum EncodingStoreProblem
{
    /// <summary>The file is damaged or is not an SQLite database.</summary>
    Corrupt,
    /// <summary>Another process held the file locked for longer than the busy timeout.</summary>
    Busy,
    /// <summary>The file was written by a newer FaceCluster whose store schema this one cannot read.</summary>
    NewerSchema,
    /// <summary>An SQLite database, but not a FaceCluster encoding store.</summary>
    NotAStore,
    /// <summary>The file cannot be created, opened or written (missing folder, permissions, disk full).</summary>
    Unusable,
    /// <summary>The store is read-only (marked so, or on a read-only file system) and a photo not in it needs storing.</summary>
    ReadOnly,
    /// <summary>The database server cannot be reached, or refuses the connection or the login.</summary>
    Unreachable,
    /// <summary>A prune would forget more of the store's photos than it may (<see cref="StorePrunePlan.WouldShrink"/>).</summary>
    WouldShrink,
}
