namespace FaceCluster.Engine.Store;

/// <summary>How a <see cref="PostgresEncodingStore"/> shares work and rides out a lost connection.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>
    /// How long a worker's claim on a photo holds: another worker takes it after this, so it must exceed the time one
    /// photo takes to encode; a dead worker's photos wait this long.
    /// </summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a call that lost its connection (the server restarting) is tried again before it fails.</summary>
    public TimeSpan RetryTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many saved photos the store holds back to write in one statement: a full batch is written at once. Held
    /// photos stay claimed; a worker that dies loses them (the next run encodes them again).
    /// </summary>
    public int SaveBatch { get; init; } = 32;

    /// <summary>How long a saved photo is held back at most before it is written, batch full or not.</summary>
    public TimeSpan SaveDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
