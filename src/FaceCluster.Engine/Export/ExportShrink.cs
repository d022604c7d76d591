namespace FaceCluster.Engine.Export;

/// <summary>
/// What an <c>Export-FaceCluster -Sync</c> would take out of the export in its folder, measured by
/// <see cref="SyncPlanner"/> before anything is written. A sync that <see cref="Refused"/> is refused
/// (<see cref="ExportRefusal.WouldShrink"/>) unless the plan allows it (<see cref="ExportPlan.AllowShrink"/>), so a run
/// whose input shrank by accident (a share half mounted, a folder renamed or unreadable) cannot empty the export.
/// </summary>
public sealed record ExportShrink
{
    /// <summary>The share of the export's photos a sync may take out of it without -AllowShrink: a fifth.</summary>
    public const double MaxRemovedShare = 0.2;

    /// <summary>The source photos the export holds now: each photo with a file of the export in the folder, once.</summary>
    public required int Photos { get; init; }

    /// <summary>The source photos whose every file the sync would remove, ordered (ordinal): photos no longer in this
    /// run. A photo renamed or moved in the library is moved, not counted.</summary>
    public required IReadOnlyList<string> RemovedPhotos { get; init; }

    /// <summary>The people (groups other than the doubtful one) of the earlier export.</summary>
    public required int People { get; init; }

    /// <summary>The names of the earlier export's named people that this run no longer has, under their id or merged
    /// into another (<see cref="FaceManifestCluster.MergedIds"/>), ordered (ordinal).</summary>
    public required IReadOnlyList<string> RemovedNames { get; init; }

    /// <summary>True where the earlier export had people and this run has none (doubtful faces only).</summary>
    public required bool RemovesEveryPerson { get; init; }

    /// <summary>Whether the sync takes out more than <see cref="MaxRemovedShare"/> of the photos, a named person, or
    /// every person.</summary>
    public bool Refused => RemovedPhotos.Count > Photos * MaxRemovedShare || RemovedNames.Count > 0 || RemovesEveryPerson;

    /// <summary>What would go, in words.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (RemovedPhotos.Count > 0)
            parts.Add(FormattableString.Invariant(
                $"take {RemovedPhotos.Count} of its {Photos} photos out ({RemovedPhotos.Count * 100.0 / Photos:0.#}%; a sync may take out at most {MaxRemovedShare * 100:0}%)"));
        if (RemovedNames.Count > 0)
            parts.Add($"remove the named {(RemovedNames.Count == 1 ? "person" : "people")} {string.Join(", ", RemovedNames.Select(n => $"'{n}'"))}");
        if (RemovesEveryPerson)
            parts.Add($"leave none of the {People} {(People == 1 ? "person" : "people")} it has, only doubtful faces");
        return parts.Count == 0 ? "take nothing out of it" : string.Join(" and ", parts);
    }
}
