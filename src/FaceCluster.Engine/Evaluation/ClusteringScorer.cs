using FaceCluster.Model;

namespace FaceCluster.Engine.Evaluation;

/// <summary>
/// Scores predicted clusters against ground-truth identities from the contingency table (cluster x identity
/// counts), in O(N) time: no pair of items is visited.
/// <para>
/// Conventions: noise (cluster id &lt; 0) items are singletons; a precision with nothing predicted together
/// (no predicted pairs) is 1, a recall with nothing truly together is 1; F1 is 0 when precision and recall are
/// both 0. Items present in only one of the two maps are not scored.
/// </para>
/// </summary>
public static class ClusteringScorer
{
    /// <summary>Scores the items present in both maps.</summary>
    public static ClusteringScore Score<TItem>(IReadOnlyDictionary<TItem, int> predicted, IReadOnlyDictionary<TItem, string> truth)
        where TItem : notnull
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        var labels = new List<int>();
        var identities = new List<string>();
        foreach (KeyValuePair<TItem, int> p in predicted)
        {
            if (truth.TryGetValue(p.Key, out string? identity))
            {
                labels.Add(p.Value);
                identities.Add(identity);
            }
        }

        return Score(labels, identities);
    }

    /// <summary>
    /// Scores faces against a folder-per-person ground truth: a labelled photo shows its folder's person, so its
    /// largest face (box area; on a tie, the lowest face index) is credited to that person, and its other faces
    /// (bystanders, faces in the background) are not scored; with <paramref name="allFaces"/>, every face of the
    /// photo is credited to the person. Faces of photos outside the ground truth are not scored
    /// (<paramref name="unlabelled"/> counts them). <see cref="ClusteringScore.UnscoredFaceCount"/> counts every face
    /// not scored.
    /// </summary>
    public static ClusteringScore Score(IEnumerable<ScoredFace> faces, GroundTruth truth, out int unlabelled, bool allFaces = false)
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(truth);
        var credited = new Dictionary<string, List<ScoredFace>>(StringComparer.Ordinal);
        var seen = new HashSet<(string, int)>();
        int total = 0;
        unlabelled = 0;
        foreach (ScoredFace face in faces)
        {
            total++;
            if (!seen.Add((face.Path, face.FaceIndex)))
            {
                throw new ArgumentException($"Face {face.FaceIndex} of {face.Path} is in the clustering twice.", nameof(faces));
            }

            string path = Path.GetFullPath(face.Path);
            if (!truth.IdentityByPath.ContainsKey(path))
            {
                unlabelled++;
                continue;
            }

            if (!credited.TryGetValue(path, out List<ScoredFace>? photo))
            {
                credited.Add(path, [face]);
            }
            else if (allFaces)
            {
                photo.Add(face);
            }
            else if (face.BoxArea > photo[0].BoxArea || (face.BoxArea == photo[0].BoxArea && face.FaceIndex < photo[0].FaceIndex))
            {
                photo[0] = face;
            }
        }

        var labels = new List<int>();
        var identities = new List<string>();
        foreach ((string path, List<ScoredFace> photo) in credited)
        {
            foreach (ScoredFace face in photo)
            {
                labels.Add(face.ClusterId);
                identities.Add(truth.IdentityByPath[path]);
            }
        }

        return Score(labels, identities) with { UnscoredFaceCount = total - labels.Count };
    }

    /// <summary>Scores item i as predicted[i] (cluster id, -1 = doubtful) against truth[i] (identity).</summary>
    public static ClusteringScore Score(IReadOnlyList<int> predicted, IReadOnlyList<string> truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count != truth.Count)
        {
            throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} ground-truth labels.", nameof(truth));
        }

        int n = predicted.Count;
        var identityIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var clusterSize = new Dictionary<int, long>();
        var identitySize = new List<long>();
        var cells = new Dictionary<(int Cluster, int Identity), long>();
        int doubtful = 0, singleton = int.MinValue;
        for (int i = 0; i < n; i++)
        {
            string identity = truth[i] ?? throw new ArgumentException($"Ground-truth label {i} is null.", nameof(truth));
            if (!identityIds.TryGetValue(identity, out int t))
            {
                t = identityIds.Count;
                identityIds.Add(identity, t);
                identitySize.Add(0);
            }

            int cluster = predicted[i];
            if (cluster < 0)
            {
                doubtful++;
                cluster = singleton++; // a cluster of its own, never shared
            }

            identitySize[t]++;
            clusterSize[cluster] = clusterSize.GetValueOrDefault(cluster) + 1;
            cells[(cluster, t)] = cells.GetValueOrDefault((cluster, t)) + 1;
        }

        double together = 0, bcubedPrecision = 0, bcubedRecall = 0;
        foreach (((int cluster, int t), long c) in cells)
        {
            together += Pairs(c);
            bcubedPrecision += (double)c * c / clusterSize[cluster];
            bcubedRecall += (double)c * c / identitySize[t];
        }

        double predictedPairs = clusterSize.Values.Sum(Pairs), truePairs = identitySize.Sum(Pairs);
        double pp = predictedPairs == 0 ? 1 : together / predictedPairs;
        double pr = truePairs == 0 ? 1 : together / truePairs;
        double bp = n == 0 ? 1 : bcubedPrecision / n, br = n == 0 ? 1 : bcubedRecall / n;
        return new ClusteringScore(
            ItemCount: n,
            ClusterCount: predicted.Where(p => p >= 0).Distinct().Count(),
            IdentityCount: identityIds.Count,
            DoubtfulCount: doubtful,
            PairwisePrecision: pp,
            PairwiseRecall: pr,
            PairwiseF1: F1(pp, pr),
            BCubedPrecision: bp,
            BCubedRecall: br,
            BCubedF1: F1(bp, br));
    }

    private static double Pairs(long count) => count * (count - 1) / 2.0;

    private static double F1(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);
}
