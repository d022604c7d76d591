using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Which neighbour search a clustering runs, and why: the exact scan of every pair (<see cref="NeighbourScan"/>) while
/// it is fast, the approximate one (<see cref="NeighbourGraph"/>) from <see cref="ApproximateFrom"/> faces on, where
/// the scan's time, which grows with the square of the faces, takes minutes (docs/benchmarks.md, "A million faces").
/// </summary>
public sealed record NeighbourSearchChoice
{
    /// <summary>From this many faces on, <see cref="NeighbourSearch.Auto"/> searches approximately.</summary>
    public const int ApproximateFrom = 50_000;

    /// <summary>The search that runs: <see cref="NeighbourSearch.Exact"/> or <see cref="NeighbourSearch.Approximate"/>.</summary>
    public required NeighbourSearch Path { get; init; }

    /// <summary>Why, in a sentence for -Verbose.</summary>
    public required string Reason { get; init; }

    /// <summary>
    /// The search for <paramref name="count"/> faces when <paramref name="requested"/> was asked for. Approximate only
    /// for cosine; asked for with another metric, it throws.
    /// </summary>
    public static NeighbourSearchChoice Choose(NeighbourSearch requested, int count, DistanceMetric metric)
    {
        if (requested == NeighbourSearch.Exact)
        {
            return new() { Path = NeighbourSearch.Exact, Reason = "Exact neighbour search, as asked: every pair of faces compared." };
        }

        string? unavailable = metric != DistanceMetric.Cosine ? "the approximate search serves the cosine metric only" : null;
        if (requested == NeighbourSearch.Approximate)
        {
            return unavailable is null
                ? new() { Path = NeighbourSearch.Approximate, Reason = $"Approximate neighbour search, as asked: each face's {NeighbourGraph.Neighbours} nearest faces from the faces of its nearest cells, compared exactly." }
                : throw new NotSupportedException($"The approximate neighbour search cannot run: {unavailable}.");
        }

        if (count < ApproximateFrom)
        {
            return new() { Path = NeighbourSearch.Exact, Reason = $"Exact neighbour search: {count} faces, under the {ApproximateFrom} from which the approximate search runs." };
        }

        return unavailable is null
            ? new() { Path = NeighbourSearch.Approximate, Reason = $"Approximate neighbour search: {count} faces, at least {ApproximateFrom}; each face's {NeighbourGraph.Neighbours} nearest faces from the faces of its nearest cells, compared exactly." }
            : new() { Path = NeighbourSearch.Exact, Reason = $"Exact neighbour search although {count} faces are many ({ApproximateFrom} or more): {unavailable}." };
    }
}
