namespace FaceCluster.Engine.Calibration;

/// <summary>The choices of a calibration; the defaults are those the built-in packs were calibrated with.</summary>
public sealed record PackCalibrationOptions
{
    /// <summary>The share of false pairs the library rule accepts (libraryThreshold.falsePairShare).</summary>
    public double FalsePairShare { get; init; } = 0.2;

    /// <summary>The ceiling is this quantile of the average distance between two people's photos.</summary>
    public double CeilingQuantile { get; init; } = 0.001;

    /// <summary>The pair threshold is the largest table distance at which at most this share of different people's pairs lie (faceplugin's table gives its 0.54).</summary>
    public double PairShare { get; init; } = 1.5e-4;

    /// <summary>People with fewer labelled photos are left out of the ceiling.</summary>
    public int MinPhotosForCeiling { get; init; } = 10;

    /// <summary>At most this many photos of each set are paired for the table (every k-th, in path order).</summary>
    public int MaxPhotosPerSet { get; init; } = 6000;

    public double DistanceStep { get; init; } = 0.01;
}
