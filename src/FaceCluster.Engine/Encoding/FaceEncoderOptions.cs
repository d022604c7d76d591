namespace FaceCluster.Engine.Encoding;

/// <summary>Settings of a <see cref="FaceEncoder"/>.</summary>
public sealed record FaceEncoderOptions
{
    /// <summary>Lowest detector score (0..1) accepted as a face.</summary>
    public float MinConfidence { get; init; } = 0.7f;

    /// <summary>Smallest face side, in pixels of the full-resolution image, that is kept.</summary>
    public int MinFaceSize { get; init; } = 20;

    /// <summary>Longest side, in pixels, of the decoded image used for detection and face crops.</summary>
    public int MaxImageSize { get; init; } = 1600;

    /// <summary>Threads each ONNX Runtime session may use inside one operator (keep 1 when encoding images in parallel).</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>
    /// How many perturbed chips of each face are encoded and averaged (face_recognition's num_jitters): 1 encodes the
    /// aligned chip as it is; more is slower by that factor and slightly more robust. The perturbations are seeded, so
    /// results repeat exactly.
    /// </summary>
    public int Jitter { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a setting out of range.</summary>
    public void Validate()
    {
        if (MinConfidence is < 0f or > 1f) throw new ArgumentOutOfRangeException(nameof(MinConfidence), MinConfidence, "Must be between 0 and 1.");
        if (MinFaceSize < 1) throw new ArgumentOutOfRangeException(nameof(MinFaceSize), MinFaceSize, "Must be at least 1.");
        if (MaxImageSize < 320) throw new ArgumentOutOfRangeException(nameof(MaxImageSize), MaxImageSize, "Must be at least 320.");
        if (Jitter is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "Must be between 1 and 100.");
        if (IntraOpThreads < 1) throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "Must be at least 1.");
    }
}
