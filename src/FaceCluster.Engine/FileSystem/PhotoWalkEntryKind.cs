namespace FaceCluster.Engine.FileSystem;

/// <summary>What a <see cref="PhotoWalkEntry"/> is.</summary>
public enum PhotoWalkEntryKind
{
    /// <summary>A photo to read.</summary>
    Photo,

    /// <summary>A FaceCluster export folder, not walked (nor anything in it).</summary>
    ExportFolder,

    /// <summary>A folder that could not be listed; the walk went on without it.</summary>
    UnreadableFolder,
}
