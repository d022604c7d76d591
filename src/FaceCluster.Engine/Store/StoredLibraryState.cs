namespace FaceCluster.Engine.Store;

/// <summary>What the store holds for a path it has seen.</summary>
public enum StoredLibraryState
{
    /// <summary>The file is as the store last saw it, and its encoding under the settings is stored.</summary>
    Stored,
    /// <summary>The file changed since the store saw it, or was never encoded under the settings.</summary>
    NotStored,
    /// <summary>No file is at the path any more.</summary>
    Gone,
}
