namespace FaceCluster.Model;

/// <summary>
/// A model pack's library rule as measured on labelled photos (Update-FaceModelPackCalibration): the share of
/// different people's face pairs at or below each distance, the ceiling and the pair threshold chosen from them.
/// </summary>
public sealed record ModelPackCalibration
{
    public required DistanceMetric Metric { get; init; }

    /// <summary>The distance of <see cref="ShareAtOrBelow"/>[0].</summary>
    public required double DistanceFrom { get; init; }

    public required double DistanceStep { get; init; }

    /// <summary>Entry k: the share of different people's face pairs at a distance of at most DistanceFrom + k DistanceStep (3 significant digits), up to distance 1.</summary>
    public required IReadOnlyList<double> ShareAtOrBelow { get; init; }

    /// <summary>How many pairs of different people's faces the table counts.</summary>
    public required long DifferentPeoplePairs { get; init; }

    /// <summary>How many pairs of people (each with enough photos) the ceiling was measured on.</summary>
    public required int PeoplePairs { get; init; }

    /// <summary>The ceiling (libraryThreshold.maxThreshold): the CeilingQuantile of the average distance between two people's photos, on the step grid; null when fewer than two people have enough photos.</summary>
    public required double? MaxThreshold { get; init; }

    /// <summary>The pair threshold (linkageThreshold): the largest table distance whose share is at most PairShare.</summary>
    public required double LinkageThreshold { get; init; }

    public required double FalsePairShare { get; init; }

    public required double CeilingQuantile { get; init; }

    public required double PairShare { get; init; }

    /// <summary>Per labelled set: the average distance between two people's photos at the 0.1%, 0.5%, 1% and 5% quantiles.</summary>
    public required IReadOnlyList<CalibrationSetSummary> Sets { get; init; }
}
