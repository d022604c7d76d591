namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>The shape of a library that <see cref="RealisticFaces"/> generates.</summary>
public sealed record RealisticProfile
{
    /// <summary>Fitted to the faceplugin encodings of pins-library and LFW (docs/benchmarks.md, "Realistic synthetic faces").</summary>
    public static RealisticProfile Faceplugin { get; } = new();

    /// <summary>Share of the faces that are strangers, seen once.</summary>
    public double StrangerShare { get; init; } = 0.30;

    /// <summary>The power law of people's sizes: P(size >= s) falls as s^(1 - exponent).</summary>
    public double SizeExponent { get; init; } = 2.1;

    /// <summary>No person holds more than this many faces...</summary>
    public int LargestPerson { get; init; } = 5000;

    /// <summary>...nor more than this share of the library.</summary>
    public double LargestPersonShare { get; init; } = 0.05;

    /// <summary>Share (of squared length) of every person's centre along one direction common to all faces.</summary>
    public double CommonWeight { get; init; } = 0.03;

    /// <summary>Share of a person's centre along the direction of its look-alike group.</summary>
    public double LookAlikeWeight { get; init; } = 0.22;

    /// <summary>How many look-alike groups there are.</summary>
    public int LookAlikeGroups { get; init; } = 12;

    /// <summary>Directions vary as if in this many dimensions (spreads the distances between people).</summary>
    public double EffectiveDimension { get; init; } = 36;

    /// <summary>The median length of a face's offset from its person's centre (before normalising).</summary>
    public double SpreadMedian { get; init; } = 0.84;

    /// <summary>Log-normal spread of a person's typical offset (some people vary more than others).</summary>
    public double PersonSpreadSigma { get; init; } = 0.2;

    /// <summary>Log-normal spread of one face's offset around its person's typical one.</summary>
    public double FaceSpreadSigma { get; init; } = 0.42;
}
