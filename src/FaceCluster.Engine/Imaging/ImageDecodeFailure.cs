namespace FaceCluster.Engine.Imaging;

/// <summary>Why an image could not be decoded.</summary>
public enum ImageDecodeFailure
{
    /// <summary>The file has no bytes.</summary>
    Empty,
    /// <summary>The bytes are not an image of any format we know (e.g. a text file named .jpg).</summary>
    NotAnImage,
    /// <summary>The image data ends early or is damaged.</summary>
    Truncated,
    /// <summary>A known image format that the decoder cannot read (e.g. JPEG XL, PSD).</summary>
    UnsupportedFormat,
    /// <summary>Decoding would need more pixels than the budget allows.</summary>
    TooLarge,
    /// <summary>The file cannot be opened or read (missing, permissions, I/O error).</summary>
    Unreadable,
    /// <summary>The path names a folder, pipe (FIFO), socket or device, not a regular file.</summary>
    NotAFile,
}
