namespace FaceCluster.Engine.Export;

/// <summary>An export that cannot go ahead in this folder; thrown before anything was written.</summary>
public sealed class ExportRefusedException : IOException
{
    public ExportRefusedException(ExportRefusal reason, string outputDirectory, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        OutputDirectory = outputDirectory;
    }

    /// <summary>A <see cref="ExportRefusal.WouldShrink"/> refusal, saying what would go.</summary>
    public ExportRefusedException(string outputDirectory, ExportShrink shrink)
        : this(ExportRefusal.WouldShrink, outputDirectory,
            $"This sync would shrink the export in '{outputDirectory}': it would {shrink}. Nothing was written. If photos could not be reached (a share not mounted, a folder renamed or unreadable), fix that and run again; if the export is meant to shrink, run the sync again with -AllowShrink.")
    {
        Shrink = shrink;
    }

    public ExportRefusal Reason { get; }

    /// <summary>Full path of the output folder.</summary>
    public string OutputDirectory { get; }

    /// <summary>For <see cref="ExportRefusal.WouldShrink"/>: what the sync would take out; null otherwise.</summary>
    public ExportShrink? Shrink { get; }
}
