namespace FaceCluster.Engine.Review;

/// <summary>A file or folder at a path the review writes that is not the export's (no <see cref="ReviewSeal"/>, edited
/// since, or a link): left as it is, and the page or thumbnail is not written there.</summary>
/// <param name="Path">Full path of what was left alone.</param>
/// <param name="Message">Why, and what the user can do.</param>
/// <param name="IsLink">It is a symbolic link or junction (see <c>ExportLinks</c>).</param>
public sealed record ReviewFileLeftAlone(string Path, string Message, bool IsLink);
