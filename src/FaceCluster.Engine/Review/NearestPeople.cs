using System.Numerics.Tensors;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// For each person, the other person whose representative face is most alike (highest cosine similarity of the two
/// representatives' vectors, same model pack only): the review page's suggestion for "merge these two", since a person
/// split in two usually leaves two near representatives. A hint for a reviewer, not a clustering decision.
/// </summary>
public static class NearestPeople
{
    /// <returns>Person id to the id of its most alike other person; people without a representative, or without
    /// another person of the same model pack, are absent.</returns>
    public static IReadOnlyDictionary<int, int> Find(IReadOnlyList<FaceGroup> groups, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var people = groups.Where(g => !g.IsDoubtful && g.Representative is not null).ToArray();
        var nearest = new Dictionary<int, int>(people.Length);
        for (var i = 0; i < people.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var a = people[i].Representative!;
            var best = float.NegativeInfinity;
            int? bestId = null;
            for (var j = 0; j < people.Length; j++)
            {
                var b = people[j].Representative!;
                if (i == j || b.Model != a.Model || b.Vector.Length != a.Vector.Length)
                    continue;
                var similarity = TensorPrimitives.CosineSimilarity(a.Vector, b.Vector);
                if (similarity > best)
                    (best, bestId) = (similarity, people[j].Id);
            }
            if (bestId is { } id)
                nearest[people[i].Id] = id;
        }
        return nearest;
    }
}
