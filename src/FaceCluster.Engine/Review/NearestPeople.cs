using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// For each person, the most alike other person: the one holding the face nearest to any of its faces (in the
/// clustering's metric; same model pack only), among the <see cref="Candidates"/> people whose mean face is nearest
/// its own. The review page's suggestion for "merge these two": a person split in two usually leaves faces of the
/// two pieces side by side, even when the pieces' typical faces differ; the nearest pair names the rest of a split
/// person more often than the nearest representatives did (docs/benchmarks.md, "Review hints"). A hint for a
/// reviewer, not a clustering decision. The candidates keep the cost to each person's faces times those of a few
/// people (<see cref="NearestClusterFinder"/>), not every face times every face.
/// </summary>
public static class NearestPeople
{
    /// <summary>How many people, nearest by mean face, are searched for the nearest face.</summary>
    public const int Candidates = 8;

    /// <returns>Person id to the id of its most alike other person (ties: the lower id); people without faces, or
    /// without another person of the same model pack, are absent.</returns>
    public static IReadOnlyDictionary<int, int> Find(IReadOnlyList<FaceGroup> groups, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var nearest = new Dictionary<int, int>();
        foreach (var pack in groups.Where(g => !g.IsDoubtful && g.FaceCount > 0).OrderBy(g => g.Id)
            .GroupBy(g => (g.Members[0].Face.Model, g.Members[0].Face.Vector.Length)))
        {
            FaceGroup[] people = [.. pack];
            var metric = people[0].Clustering?.Metric ?? DistanceMetric.Cosine;
            var vectors = people.SelectMany(g => g.Faces.Select(f => f.Vector)).ToArray();
            var members = new int[people.Length][];
            for (int k = 0, first = 0; k < people.Length; first += people[k].FaceCount, k++)
            {
                members[k] = Enumerable.Range(first, people[k].FaceCount).ToArray();
            }

            var means = members.Select(m => Mean(m.Select(i => vectors[i]), metric)).ToArray();
            var norms = means.Select(ExactDistance.Norm).ToArray();
            var found = new int[people.Length];
            var options = new FaceClusteringOptions { Metric = metric, MaxDegreeOfParallelism = 1 };
            var roles = Enumerable.Repeat(FaceRole.Core, vectors.Length).ToArray();
            Parallel.For(0, people.Length, new ParallelOptions { CancellationToken = cancellationToken }, k =>
            {
                int[] near = Enumerable.Range(0, people.Length).Where(q => q != k)
                    .OrderBy(q => ExactDistance.Surrogate(means[k], norms[k], means[q], norms[q], metric))
                    .ThenBy(q => q).Take(Candidates).Order().ToArray();
                NearestCluster?[] pairs = NearestClusterFinder.Find(vectors, near.Select(q => members[q]).ToArray(), roles, members[k], options, cancellationToken);
                found[k] = pairs.Where(n => n is not null).MinBy(n => (n!.Value.Distance, n.Value.ClusterId)) is { } best ? near[best.ClusterId] : -1;
            });
            for (int k = 0; k < people.Length; k++)
            {
                if (found[k] >= 0)
                {
                    nearest[people[k].Id] = people[found[k]].Id;
                }
            }
        }

        return nearest;
    }

    /// <summary>The mean of the vectors (cosine: of their directions), summed in double.</summary>
    private static float[] Mean(IEnumerable<float[]> vectors, DistanceMetric metric)
    {
        double[]? sum = null;
        int count = 0;
        foreach (float[] v in vectors)
        {
            sum ??= new double[v.Length];
            double scale = metric == DistanceMetric.Cosine ? 1 / ExactDistance.Norm(v) : 1;
            for (int t = 0; t < v.Length; t++)
            {
                sum[t] += v[t] * scale;
            }

            count++;
        }

        return sum!.Select(s => (float)(s / count)).ToArray();
    }
}
