namespace FaceCluster.Engine.Export;

/// <summary>
/// Decides whether an export may go into a folder. The rule: an export folder always matches exactly one clustering,
/// the one its faces.json describes, or it is visibly unfinished (faces.json marked incomplete) and the same export
/// finishes it. So an earlier export is only ever completed by the same clustering in the same mode.
/// </summary>
public static class ExportTarget
{
    /// <summary>Looks at <paramref name="outputDirectory"/> (reads only). The lock file and stale temporaries, which
    /// an export leaves even when interrupted before writing anything, the people's corrections.json, which outlives
    /// the exports it corrects, and an encoding store (Get-FaceEncoding -Store) kept there do not make a folder
    /// non-empty.</summary>
    public static ExportTargetState Inspect(string outputDirectory) => Read(outputDirectory).State;

    /// <summary>Checks that <paramref name="plan"/> may be carried out in its folder (reads only).</summary>
    /// <param name="plan">The export.</param>
    /// <param name="force">Allow a folder that holds other things and no earlier export.</param>
    /// <returns>What the folder holds. A sync (<see cref="ExportPlan.Sync"/>) accepts an earlier export of another
    /// clustering, not of another mode.</returns>
    /// <exception cref="ExportRefusedException">The folder is not empty and <paramref name="force"/> is false; or it
    /// holds an earlier export of another clustering or mode, or one that an export without groups would empty
    /// (whatever <paramref name="force"/> says).</exception>
    public static ExportTargetState Check(ExportPlan plan, bool force)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var folder = plan.OutputDirectory;
        var (state, earlier) = Read(folder);
        if (state == ExportTargetState.NonEmpty && !force)
            throw new ExportRefusedException(ExportRefusal.OutputFolderNotEmpty, folder,
                $"The folder '{folder}' is not empty and holds no earlier FaceCluster export. Use -Force to export into it anyway (nothing in it is overwritten).");
        if (earlier is null)
            return state;
        var what = earlier.Complete ? "an export" : "an unfinished export";
        if (earlier.Mode != plan.Mode)
            throw new ExportRefusedException(ExportRefusal.ModeMismatch, folder,
                $"'{folder}' holds {what} made with -Mode {earlier.Mode}; it cannot be completed with -Mode {plan.Mode}. Nothing was written. Rerun with -Mode {earlier.Mode}, or export into a new folder.");
        // An earlier export of nothing has the same fingerprint as this one: only a non-empty one is refused here.
        if (plan.Manifest.Clusters.Count == 0 && earlier.Fingerprint != plan.Manifest.Fingerprint)
            throw new ExportRefusedException(ExportRefusal.NothingToExport, folder,
                $"There are no faces to export, and '{folder}' holds {what}; it is left as it is. If the photos could not be reached, try again when they can; to start over, remove the folder.");
        if (plan.Sync)
            return state;
        if (earlier.Syncing)
            throw new ExportRefusedException(ExportRefusal.SyncUnfinished, folder,
                $"'{folder}' holds an unfinished Export-FaceCluster -Sync, which still has files of an earlier export to move or remove. Nothing was written. Run the export again with -Sync to finish it.");
        if (earlier.Fingerprint != plan.Manifest.Fingerprint)
            throw new ExportRefusedException(ExportRefusal.ClusteringMismatch, folder,
                $"'{folder}' holds {what} of a different clustering (its faces.json lists other groups or other faces), so this one would mix people in its folders. Nothing was written. Use -Sync to bring that export up to date with this clustering, export into a new folder, or remove this one to start over.");
        return state;
    }

    private static (ExportTargetState State, FaceManifestHeader? Earlier) Read(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var full = Path.GetFullPath(outputDirectory);
        if (File.Exists(full))
            return (ExportTargetState.NotADirectory, null);
        if (!Directory.Exists(full))
            return (ExportTargetState.Missing, null);
        if (Directory.EnumerateFileSystemEntries(full).All(IsLeftByFaceCluster))
            return (ExportTargetState.Empty, null);
        // A faces.json that is a link is not the export's (ExportLinks): never taken for an earlier export.
        var manifest = Path.Combine(full, FaceManifest.FileName);
        var earlier = ExportLinks.IsLink(manifest) ? null : FaceManifestHeader.TryRead(manifest);
        return (earlier is null ? ExportTargetState.NonEmpty : ExportTargetState.PreviousExport, earlier);
    }

    private static bool IsLeftByFaceCluster(string entry)
    {
        var name = Path.GetFileName(entry);
        return name == ExportLock.FileName || name == People.PersonCorrections.FileName || AtomicFile.IsTemporaryName(name)
            || (File.Exists(entry) && Store.EncodingStore.IsStoreFile(entry));
    }
}
