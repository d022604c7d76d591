namespace FaceCluster.Model;

/// <summary>How a photo is placed into a person's folder.</summary>
public enum ExportMode
{
    /// <summary>A byte-for-byte copy of the source (the default).</summary>
    Copy,
    /// <summary>A hard link to the source: no extra space, but source and output must be on the same volume.</summary>
    HardLink,
    /// <summary>A symbolic link to the absolute source path.</summary>
    SymbolicLink,
}
