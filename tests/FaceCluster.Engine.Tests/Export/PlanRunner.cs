using FaceCluster.Engine.Export;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>Executes a whole plan the way the cmdlet does: an <see cref="ExportSession"/> (check, lock, clean stale
/// temporaries), then each action in order.</summary>
public static class PlanRunner
{
    public static IReadOnlyList<ExportActionResult> Run(ExportPlan plan, CancellationToken cancellationToken = default, bool force = false)
    {
        using var session = ExportSession.Start(plan, force, cancellationToken: cancellationToken);
        return session.Run(cancellationToken).ToArray();
    }

    public static void AssertAll(IEnumerable<ExportActionResult> results, ExportOutcome outcome)
    {
        foreach (var result in results)
            Assert.True(result.Outcome == outcome, $"{result.Action}: expected {outcome}, got {result.Outcome}: {result.Message}");
    }
}
