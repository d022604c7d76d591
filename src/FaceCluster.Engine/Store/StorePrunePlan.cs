namespace FaceCluster.Engine.Store;

/// <summary>
/// What <see cref="EncodingStore.PlanPrune"/> found: the paths the store knows and those whose file is gone.
/// <see cref="EncodingStore.Prune"/> forgets the gone ones and the photos no other path shows.
/// </summary>
public sealed class StorePrunePlan
{
    /// <summary>The most of the known paths a prune removes unless told it may (<see cref="WouldShrink"/>): the share
    /// Export-FaceCluster -Sync refuses to take out of an export.</summary>
    public const double MaxShare = Export.ExportShrink.MaxRemovedShare;

    /// <summary>Paths the store knows (the last file seen at each).</summary>
    public required int KnownPaths { get; init; }

    /// <summary>Known paths where no file is found now.</summary>
    public required IReadOnlyList<string> GonePaths { get; init; }

    /// <summary>Of <see cref="GonePaths"/>, those whose folder is gone too (a share not mounted looks like this).</summary>
    public required int GoneFolders { get; init; }

    /// <summary>Whether the gone paths are more than <see cref="MaxShare"/> of those known, or every one: most likely a
    /// drive or share that is not mounted, or only half, rather than photos deleted.</summary>
    public bool WouldShrink => GonePaths.Count > 0 && (GonePaths.Count == KnownPaths || GonePaths.Count > MaxShare * KnownPaths);
}
