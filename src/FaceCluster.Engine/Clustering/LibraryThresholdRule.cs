namespace FaceCluster.Engine.Clustering;

/// <summary>
/// How <see cref="LibraryThreshold"/> chooses a library's group threshold for average linkage: a model pack's measured
/// distribution of distances between faces of different people, the share of false pairs it accepts, and a ceiling.
/// Read from packs.json ("libraryThreshold"); bench/LibraryBenchmark.cs --calibrate measures the distribution.
/// </summary>
public sealed record LibraryThresholdRule
{
    /// <summary>The largest group threshold the rule may choose.</summary>
    public required double MaxThreshold { get; init; }

    /// <summary>
    /// The group threshold is the largest distance d at which, of the library's face pairs within d, at most this share
    /// are expected to be pairs of different people.
    /// </summary>
    public required double FalsePairShare { get; init; }

    /// <summary>The distance of <see cref="DifferentPeopleShareAtOrBelow"/>[0].</summary>
    public required double DistanceFrom { get; init; }

    /// <summary>The step between the distances of <see cref="DifferentPeopleShareAtOrBelow"/>, and between the thresholds tried.</summary>
    public required double DistanceStep { get; init; }

    /// <summary>
    /// Entry k: the share of pairs of faces of different people (measured on labelled photos) at a distance of at most
    /// <see cref="DistanceFrom"/> + k <see cref="DistanceStep"/>. Non-decreasing.
    /// </summary>
    public required IReadOnlyList<double> DifferentPeopleShareAtOrBelow { get; init; }

    /// <summary>
    /// The measured share of different-people pairs at or below <paramref name="distance"/>: linear between table
    /// entries, the first entry below the table, the last above it.
    /// </summary>
    public double DifferentPeopleShare(double distance)
    {
        IReadOnlyList<double> table = DifferentPeopleShareAtOrBelow;
        double position = (distance - DistanceFrom) / DistanceStep;
        if (position <= 0)
        {
            return table[0];
        }

        int k = (int)Math.Floor(position);
        if (k >= table.Count - 1)
        {
            return table[^1];
        }

        double fraction = position - k;
        return table[k] + (fraction * (table[k + 1] - table[k]));
    }
}
