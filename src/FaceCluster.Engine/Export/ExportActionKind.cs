using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>What one step of an export does.</summary>
public enum ExportActionKind
{
    /// <summary>Create the output folder or one group's folder.</summary>
    CreateDirectory,
    /// <summary>Write <c>faces.json</c> marked incomplete, before any photo, so an interrupted export is recognised
    /// (and finished) by a rerun of the same clustering.</summary>
    StartManifest,
    /// <summary>Copy a photo into a group's folder (<see cref="ExportMode.Copy"/>).</summary>
    PlacePhotoCopy,
    /// <summary>Hard-link a photo into a group's folder (<see cref="ExportMode.HardLink"/>).</summary>
    PlacePhotoHardLink,
    /// <summary>Symbolic-link a photo into a group's folder (<see cref="ExportMode.SymbolicLink"/>).</summary>
    PlacePhotoSymbolicLink,
    /// <summary>Write <c>representative.jpg</c>, a square crop of the group's representative face.</summary>
    WriteRepresentative,
    /// <summary>Write <c>faces.json</c> marked complete, last.</summary>
    WriteManifest,
    /// <summary>-Sync: remove a file an earlier export wrote that no longer belongs, if it is unchanged.</summary>
    RemoveFile,
    /// <summary>-Sync: remove the folder of a group that no longer exists, if nothing is left in it.</summary>
    RemoveDirectory,
}
