namespace FaceCluster.Model;

/// <summary>One labelled folder of a calibration: its photos with a face, its people, and how far apart its people are.</summary>
public sealed record CalibrationSetSummary(
    string Path,
    int Photos,
    int People,
    bool UsedForCeiling,
    int PeoplePairs,
    double? Quantile001,
    double? Quantile005,
    double? Quantile01,
    double? Quantile05,
    double? Lowest);
