namespace FaceCluster.Engine.Review;

/// <summary>An edits file is refused as a whole, for <see cref="Problem"/>: nothing of it is applied.</summary>
public sealed class ReviewEditsRejectedException : Exception
{
    public ReviewEditsRejectedException(ReviewEditsProblem problem, string message, Exception? inner = null) : base(message, inner) => Problem = problem;

    public ReviewEditsProblem Problem { get; }
}
