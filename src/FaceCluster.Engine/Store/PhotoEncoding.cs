using FaceCluster.Engine.Imaging;
using FaceCluster.Model;

namespace FaceCluster.Engine.Store;

/// <summary>
/// The faces of one photo, or why it could not be decoded, and whether the answer came from the store rather than
/// from decoding it.
/// </summary>
public sealed record PhotoEncoding(IReadOnlyList<FaceEncoding> Faces, bool FromStore, ImageDecodeException? Failure = null)
{
    /// <summary>Another worker of a shared store is encoding the photo now: nothing was done; ask again later.</summary>
    public bool ClaimedElsewhere { get; init; }
}
