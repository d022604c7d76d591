namespace FaceCluster.Engine.Imaging;

/// <summary>An image file that cannot be turned into pixels.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(string path, ImageDecodeFailure reason, string message, Exception? inner = null)
        : base($"{message}: '{path}'", inner)
    {
        Path = path;
        Reason = reason;
        Detail = message;
    }

    /// <summary>The file that failed.</summary>
    public string Path { get; }

    public ImageDecodeFailure Reason { get; }

    /// <summary>What went wrong, without the path.</summary>
    public string Detail { get; }
}
