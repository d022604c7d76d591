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

    public ExportRefusal Reason { get; }

    /// <summary>Full path of the output folder.</summary>
    public string OutputDirectory { get; }
}
