using FaceCluster.Engine.Export;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>Executes a whole plan the way the cmdlet does: clean stale temporaries, then each action in order.</summary>
public static class PlanRunner
{
    public static IReadOnlyList<ExportActionResult> Run(ExportPlan plan, CancellationToken cancellationToken = default)
    {
        ExportExecutor.CleanStaleTemporaries(plan.OutputDirectory);
        return plan.Actions.Select(a => ExportExecutor.Execute(a, cancellationToken)).ToArray();
    }

    public static void AssertAll(IEnumerable<ExportActionResult> results, ExportOutcome outcome)
    {
        foreach (var result in results)
            Assert.True(result.Outcome == outcome, $"{result.Action}: expected {outcome}, got {result.Outcome}: {result.Message}");
    }
}
