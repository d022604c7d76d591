namespace FaceCluster.Engine.Export;

/// <summary>The result of executing one <see cref="ExportAction"/>.</summary>
/// <param name="Action">The action executed.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">A sentence for the user (for Conflict and Failed, the reason).</param>
/// <param name="Exception">The underlying exception of a failure, if any.</param>
public sealed record ExportActionResult(ExportAction Action, ExportOutcome Outcome, string Message, Exception? Exception = null)
{
    /// <summary>True for Done, AlreadyDone and LeftAlone.</summary>
    public bool Succeeded => Outcome is ExportOutcome.Done or ExportOutcome.AlreadyDone or ExportOutcome.LeftAlone;
}
