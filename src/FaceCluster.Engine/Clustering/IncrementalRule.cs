using System.Globalization;
using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Whether a run with an earlier export (<see cref="FaceClusteringOptions.Previous"/>) may keep the earlier people and
/// only place the new faces (<see cref="ClusteringRun.Incremental"/>), or must cluster every face again
/// (<see cref="ClusteringRun.Full"/>). A full clustering is due, in this order, when it is asked for (-Recluster);
/// when the earlier export records no settings (a first run, or one made before they were recorded); for DBSCAN;
/// when the settings differ from the earlier export's (model pack, method, metric, threshold, -AllowSamePhoto, the
/// library rule on or off); when the faces new since the last full clustering, tonight's included, pass
/// <see cref="NewShareLimit"/> of the library (faces placed one by one never regroup the faces left doubtful, and
/// people who met only in new photos wait for a full run); or when the group threshold the pack's library rule chooses
/// for the library tonight has drifted more than <see cref="DriftSteps"/> of the rule's steps from the one the
/// people were clustered with.
/// </summary>
public static class IncrementalRule
{
    /// <summary>The share of the library's faces that may be new since the last full clustering.</summary>
    public const double NewShareLimit = 0.10;

    /// <summary>How many of the library rule's steps the group threshold may move before the people are clustered again.</summary>
    public const int DriftSteps = 1;

    /// <summary>The run due, and why.</summary>
    /// <param name="options">This run's settings (<see cref="FaceClusteringOptions.Previous"/> set).</param>
    /// <param name="model">The faces' model pack.</param>
    /// <param name="faces">The faces in this run.</param>
    /// <param name="newFaces">Those not in the earlier export.</param>
    /// <param name="groupThreshold">The group threshold the library rule chooses tonight; null when there is no rule.</param>
    public static (ClusteringRun Run, string Reason) Decide(FaceClusteringOptions options, string model, int faces, int newFaces,
        double? groupThreshold)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Recluster)
        {
            return (ClusteringRun.Full, "-Recluster asked for a full clustering");
        }

        if (options.Previous?.Earlier is not { } earlier)
        {
            return (ClusteringRun.Full, "the earlier export records no clustering settings (a first run)");
        }

        if (options.Algorithm != ClusteringAlgorithm.AverageLinkage)
        {
            return (ClusteringRun.Full, "DBSCAN clusters every face each run");
        }

        string? changed = Changed(earlier, options, model);
        if (changed is not null)
        {
            return (ClusteringRun.Full, $"the settings changed ({changed})");
        }

        int since = earlier.PlacedSinceFullRun + newFaces;
        string share = Percent(since, faces);
        if (since > NewShareLimit * faces)
        {
            return (ClusteringRun.Full, $"{share} of the faces are new since the last full clustering (more than {Percent(NewShareLimit)})");
        }

        if (groupThreshold is double now && earlier.GroupThreshold is double then && options.LibraryThreshold is { } rule
            && Math.Abs(now - then) > (DriftSteps * rule.DistanceStep) + 1e-9)
        {
            return (ClusteringRun.Full, FormattableString.Invariant(
                $"the library's group threshold drifted from {then} to {now} (more than {DriftSteps} step of {rule.DistanceStep})"));
        }

        return (ClusteringRun.Incremental, $"{newFaces} new face(s); {share} of the faces are new since the last full clustering (a full one is due above {Percent(NewShareLimit)})");
    }

    private static string? Changed(ClusteringSettings earlier, FaceClusteringOptions options, string model)
    {
        if (!string.Equals(earlier.Model, model, StringComparison.Ordinal))
        {
            return $"model pack {earlier.Model} to {model}";
        }

        if (earlier.Algorithm != options.Algorithm || earlier.Metric != options.Metric)
        {
            return $"{earlier.Algorithm} {earlier.Metric} to {options.Algorithm} {options.Metric}";
        }

        if (earlier.Epsilon != options.Epsilon)
        {
            return FormattableString.Invariant($"threshold {earlier.Epsilon} to {options.Epsilon}");
        }

        if (earlier.SeparateSamePhoto != options.SeparateSamePhoto)
        {
            return "-AllowSamePhoto";
        }

        return (earlier.GroupThreshold is null) != (options.LibraryThreshold is null) ? "the library's group threshold on or off" : null;
    }

    private static string Percent(int part, int whole) => Percent(whole == 0 ? 0 : (double)part / whole);

    private static string Percent(double share) => share.ToString("0.#%", CultureInfo.InvariantCulture);
}
