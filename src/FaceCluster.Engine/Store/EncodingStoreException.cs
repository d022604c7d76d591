namespace FaceCluster.Engine.Store;

/// <summary>An encoding store that cannot be used; the message names the file and says what to do.</summary>
public sealed class EncodingStoreException : Exception
{
    public EncodingStoreException(string filePath, EncodingStoreProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Full path of the store file.</summary>
    public string FilePath { get; }

    public EncodingStoreProblem Problem { get; }

    /// <summary>How to start the store afresh.</summary>
    public static string RebuildAdvice(string filePath) =>
        $"to rebuild it, delete '{filePath}' (and '{filePath}-wal' and '{filePath}-shm' beside it, if present) and run " +
        "Get-FaceEncoding -Store again: every photo is encoded once more";
}
