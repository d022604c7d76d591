namespace FaceCluster.Engine.Export;

/// <summary>Tells the cmdlet what an output folder holds, so it can refuse a non-empty foreign folder unless -Force.</summary>
public static class ExportTarget
{
    /// <summary>Looks at <paramref name="outputDirectory"/> (reads only).</summary>
    public static ExportTargetState Inspect(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var full = Path.GetFullPath(outputDirectory);
        if (File.Exists(full))
            return ExportTargetState.NotADirectory;
        if (!Directory.Exists(full))
            return ExportTargetState.Missing;
        if (!Directory.EnumerateFileSystemEntries(full).Any())
            return ExportTargetState.Empty;
        return FaceManifest.TryRead(Path.Combine(full, FaceManifest.FileName)) is null
            ? ExportTargetState.NonEmpty
            : ExportTargetState.PreviousExport;
    }

    /// <summary>True where an export may go ahead without -Force.</summary>
    public static bool IsSafeWithoutForce(ExportTargetState state) =>
        state is ExportTargetState.Missing or ExportTargetState.Empty or ExportTargetState.PreviousExport;
}
