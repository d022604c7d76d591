using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Turns face encodings into people. Deterministic: the same faces in any order give the same groups. Faces
/// are first sorted canonically (path, ordinal; then face index), clustered by <see cref="DbscanClusterer"/>,
/// and the clusters numbered by size, largest first, ties broken by the canonical position of their first
/// member. Each cluster's members are in canonical order and its representative is its medoid. Noise faces
/// form one last doubtful group (Id -1), emitted only if there are any.
/// </summary>
public sealed class FaceClusterer
{
    public IReadOnlyList<FaceGroup> Cluster(IReadOnlyList<FaceEncoding> faces, DbscanOptions options,
        CancellationToken ct = default, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(options);
        if (faces.Count == 0)
        {
            return [];
        }

        FaceEncoding[] sorted = new FaceEncoding[faces.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            FaceEncoding f = faces[i] ?? throw new ArgumentException($"Face {i} is null.", nameof(faces));
            if (!string.Equals(f.Model, faces[0].Model, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Face {i} ({f}) was encoded by model pack '{f.Model}', face 0 ({faces[0]}) by '{faces[0].Model}': vectors of different model packs are not comparable.",
                    nameof(faces));
            }

            sorted[i] = f;
        }

        Array.Sort(sorted, CanonicalOrder);
        DbscanResult result = new DbscanClusterer().Cluster(sorted.Select(f => f.Vector).ToArray(), options, ct, progress);

        var members = new List<int>[result.ClusterCount];
        var noise = new List<int>();
        for (int i = 0; i < sorted.Length; i++)
        {
            int label = result.Labels[i];
            (label < 0 ? noise : members[label] ??= []).Add(i);
        }

        // Members lists hold canonical indices in increasing order, so [0] is the first member.
        List<int>[] ordered = members.OrderByDescending(m => m.Count).ThenBy(m => m[0]).ToArray();
        var groups = new List<FaceGroup>(ordered.Length + 1);
        for (int id = 0; id < ordered.Length; id++)
        {
            ct.ThrowIfCancellationRequested();
            List<int> m = ordered[id];
            int medoid = MedoidFinder.IndexOfMedoid(m.Select(i => sorted[i].Vector).ToArray(), options.Metric,
                options.MaxDegreeOfParallelism, ct);
            groups.Add(new FaceGroup
            {
                Id = id,
                Label = FaceGroup.ClusterLabel(id),
                Members = m.Select(i => new ClusterMember(sorted[i], result.Roles[i])).ToArray(),
                Representative = sorted[m[medoid]],
            });
        }

        if (noise.Count > 0)
        {
            groups.Add(new FaceGroup
            {
                Id = -1,
                Label = FaceGroup.DoubtfulLabel,
                Members = noise.Select(i => new ClusterMember(sorted[i], FaceRole.Noise)).ToArray(),
                Representative = null,
            });
        }

        return groups;
    }

    /// <summary>Path (ordinal), then face index.</summary>
    internal static int CanonicalOrder(FaceEncoding a, FaceEncoding b)
    {
        int c = string.CompareOrdinal(a.Path, b.Path);
        return c != 0 ? c : a.FaceIndex.CompareTo(b.FaceIndex);
    }
}
