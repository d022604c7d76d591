namespace FaceCluster.Model;

/// <summary>What one <c>Optimize-FaceEncodingStore</c> found and removed: one object per run, for a log line.</summary>
public sealed record EncodingStorePruneSummary
{
    /// <summary>Full path of the store file.</summary>
    public required string Path { get; init; }

    /// <summary>Photo paths the store knew.</summary>
    public int KnownPaths { get; init; }

    /// <summary>Of those, the paths where no file was found.</summary>
    public int GonePaths { get; init; }

    /// <summary>Paths forgotten (0 with -WhatIf or when refused).</summary>
    public int RemovedPaths { get; init; }

    /// <summary>Photos (by content) forgotten because no remaining path shows them, with their faces.</summary>
    public int RemovedPhotos { get; init; }

    /// <summary>Faces forgotten with those photos.</summary>
    public int RemovedFaces { get; init; }
}
