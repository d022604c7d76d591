using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>
/// Compares a <see cref="ClusterAssignment"/> with scikit-learn's: identical core set, identical noise set, the same
/// partition of the core points (up to cluster numbering), and each border point in the cluster of its nearest
/// core point (our documented rule), which may differ from scikit-learn's order-dependent choice.
/// </summary>
public sealed class DbscanParity
{
    public List<string> Problems { get; } = [];
    public int CorePoints { get; private set; }
    public int BorderPoints { get; private set; }
    public int NoisePoints { get; private set; }
    public int Clusters { get; private set; }

    /// <summary>Border points that sklearn put in another (also reachable) cluster than ours.</summary>
    public int BorderDifferences { get; private set; }

    public bool Identical => Problems.Count == 0;

    public override string ToString() =>
        $"{Clusters} clusters, {CorePoints} core, {BorderPoints} border ({BorderDifferences} assigned differently by the nearest-core rule), {NoisePoints} noise; "
        + (Identical ? "identical" : $"{Problems.Count} problems: " + string.Join("; ", Problems.Take(10)));

    public static DbscanParity Compare(ClusterAssignment ours, SklearnOracle sk)
    {
        var r = new DbscanParity();
        int n = ours.Labels.Length;
        if (sk.Labels.Length != n)
        {
            r.Problems.Add($"sklearn returned {sk.Labels.Length} labels for {n} points");
            return r;
        }

        var skCore = new bool[n];
        foreach (int c in sk.Core)
        {
            skCore[c] = true;
        }

        var oursToSk = new Dictionary<int, int>();
        var skToOurs = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            bool core = ours.Roles[i] == FaceRole.Core;
            if (core != skCore[i])
            {
                r.Problems.Add($"point {i}: core here {core}, in sklearn {skCore[i]}");
            }

            if ((ours.Labels[i] < 0) != (sk.Labels[i] < 0))
            {
                r.Problems.Add($"point {i}: noise here {ours.Labels[i] < 0}, in sklearn {sk.Labels[i] < 0}");
            }

            if (!(core && skCore[i]))
            {
                continue;
            }

            if (oursToSk.TryGetValue(ours.Labels[i], out int s) && s != sk.Labels[i])
            {
                r.Problems.Add($"core point {i}: our cluster {ours.Labels[i]} spans sklearn clusters {s} and {sk.Labels[i]}");
            }

            if (skToOurs.TryGetValue(sk.Labels[i], out int o) && o != ours.Labels[i])
            {
                r.Problems.Add($"core point {i}: sklearn cluster {sk.Labels[i]} spans our clusters {o} and {ours.Labels[i]}");
            }

            oursToSk[ours.Labels[i]] = sk.Labels[i];
            skToOurs[sk.Labels[i]] = ours.Labels[i];
        }

        for (int i = 0; i < n; i++)
        {
            switch (ours.Roles[i])
            {
                case FaceRole.Core: r.CorePoints++; break;
                case FaceRole.Noise: r.NoisePoints++; break;
                default:
                    r.BorderPoints++;
                    int nearest = sk.NearestCore[i];
                    if (nearest >= 0 && ours.Labels[i] != ours.Labels[nearest])
                    {
                        r.Problems.Add($"border point {i}: in our cluster {ours.Labels[i]}, but its nearest core point {nearest} is in {ours.Labels[nearest]}");
                    }

                    if (oursToSk.TryGetValue(ours.Labels[i], out int s) && s != sk.Labels[i])
                    {
                        r.BorderDifferences++;
                    }

                    break;
            }
        }

        if (ours.ClusterCount != sk.Labels.DefaultIfEmpty(-1).Max() + 1)
        {
            r.Problems.Add($"{ours.ClusterCount} clusters here, {sk.Labels.DefaultIfEmpty(-1).Max() + 1} in sklearn");
        }

        r.Clusters = ours.ClusterCount;
        return r;
    }
}
