using System.Numerics.Tensors;
using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// The groups of <see cref="AverageLinkageClusterer"/> and the distance between two of them, computed from sums
/// instead of from stored pairs.
/// <para>
/// For cosine, with unit vectors, the mean of 1 - a.b over all pairs of members of groups A and B is
/// 1 - (sum A).(sum B) / (|A| |B|). For Euclidean, the mean of |a - b|^2 is qA/|A| + qB/|B| - 2 (sum A).(sum B) /
/// (|A| |B|), where q is a group's sum of squared lengths; its square root is the group distance. So a group needs
/// only its vector sum, its size and q: no pair is kept to merge groups, whatever their size.
/// </para>
/// <para>
/// A single point uses its own row (scaled to unit length for cosine); a sum is allocated when its group first
/// merges and released when its group is absorbed, for a later group to reuse (so the sums allocated are at most
/// those alive at once, not one per merge). Sums are float (the mean of a few thousand faces keeps about
/// six significant digits); dot products use <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>.
/// </para>
/// </summary>
internal sealed class LinkageGroups
{
    private readonly VectorSet _set;
    private readonly bool _cosine;
    private readonly DisjointSet _sets;
    private readonly float[]?[] _sums;
    private readonly Stack<float[]> _freeSums = new(); // sums of absorbed groups, for the next group to reuse
    private readonly double[]? _squares; // Euclidean: sum of squared lengths per group
    private readonly HashSet<int>?[]? _cannotLink;
    private readonly HashSet<int>?[]? _people; // earlier people whose points a group holds
    private readonly HashSet<int>?[]? _notPeople; // earlier people a group may not join

    public LinkageGroups(VectorSet set, IReadOnlyList<int>? cannotLinkGroups, PersonConstraints? people = null)
    {
        _set = set;
        _cosine = set.Metric == DistanceMetric.Cosine;
        _sets = new DisjointSet(set.Count);
        _sums = new float[]?[set.Count];
        if (!_cosine)
        {
            _squares = new double[set.Count];
            for (int i = 0; i < set.Count; i++)
            {
                _squares[i] = set.Norms[i] * set.Norms[i];
            }
        }

        if (cannotLinkGroups is not null)
        {
            _cannotLink = new HashSet<int>?[set.Count];
            for (int i = 0; i < set.Count; i++)
            {
                if (cannotLinkGroups[i] >= 0)
                {
                    _cannotLink[i] = [cannotLinkGroups[i]];
                }
            }
        }

        if (people is not null)
        {
            if (people.Person.Length != set.Count || people.NotPerson.Length != set.Count || people.Together.Length != set.Count)
            {
                throw new ArgumentException($"Person constraints for {people.Person.Length} points, not {set.Count}.", nameof(people));
            }

            _people = new HashSet<int>?[set.Count];
            _notPeople = new HashSet<int>?[set.Count];
            for (int i = 0; i < set.Count; i++)
            {
                _people[i] = people.Person[i] >= 0 ? [people.Person[i]] : null;
                _notPeople[i] = people.NotPerson[i] is { Length: > 0 } not ? [.. not] : null;
            }

            HoldTogether(people.Together);
        }
    }

    /// <summary>
    /// Must-links: each point joins the group of the first point (in index order) with its <paramref name="together"/>
    /// entry, unless a cannot-link forbids it (then it starts alone).
    /// </summary>
    private void HoldTogether(int[] together)
    {
        var first = new Dictionary<int, int>();
        for (int i = 0; i < together.Length; i++)
        {
            if (together[i] < 0)
            {
                continue;
            }

            if (!first.TryGetValue(together[i], out int head))
            {
                first.Add(together[i], i);
            }
            else if (CanLink(RootOf(head), i))
            {
                Merge(RootOf(head), i);
            }
        }
    }

    public int Count => _set.Count;

    /// <summary>The group of point <paramref name="i"/>, named by one of its points.</summary>
    public int RootOf(int i) => _sets.Find(i);

    /// <summary>Points in the group named <paramref name="root"/>.</summary>
    public int SizeOf(int root) => _sets.SizeOf(root);

    /// <summary>
    /// The distance between two points, computed the way <see cref="Distance"/> computes it for single points (so a
    /// pair and the two groups of one point each compare the same).
    /// </summary>
    public double PointDistance(int i, int j)
    {
        double dot = TensorPrimitives.Dot(_set.Rows[i], _set.Rows[j]) * ((double)RowScale(i) * RowScale(j));
        return _cosine ? FromMeans(1, 1, dot) : FromMeans(_set.Norms[i] * _set.Norms[i], _set.Norms[j] * _set.Norms[j], dot);
    }

    /// <summary>The distance between the groups named <paramref name="a"/> and <paramref name="b"/> (roots): see the class summary.</summary>
    public double Distance(int a, int b)
    {
        double sizes = (double)SizeOf(a) * SizeOf(b);
        double squaresA = _squares is null ? 1 : _squares[a] / SizeOf(a);
        double squaresB = _squares is null ? 1 : _squares[b] / SizeOf(b);
        return FromMeans(squaresA, squaresB, Dot(a, b) / sizes);
    }

    /// <summary>False when the two groups (roots) hold faces of one photo, or one holds a face of an earlier person
    /// that the other may not join.</summary>
    public bool CanLink(int a, int b) =>
        !(_cannotLink is not null && Overlap(_cannotLink[a], _cannotLink[b]))
        && !(_people is not null && (Overlap(_people[a], _notPeople![b]) || Overlap(_people[b], _notPeople[a])));

    private static bool Overlap(HashSet<int>? x, HashSet<int>? y)
    {
        if (x is null || y is null)
        {
            return false;
        }

        (HashSet<int> small, HashSet<int> large) = x.Count <= y.Count ? (x, y) : (y, x);
        foreach (int item in small)
        {
            if (large.Contains(item))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Merges two groups (roots); returns the root of the merged group.</summary>
    public int Merge(int a, int b)
    {
        int keep = _sets.Union(a, b);
        int gone = keep == a ? b : a;
        float[] sum = _sums[keep] ?? Scaled(keep);
        if (_sums[gone] is { } goneSum)
        {
            TensorPrimitives.Add(sum, goneSum, sum);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(_set.Rows[gone], RowScale(gone), sum, sum);
        }

        _sums[keep] = sum;
        if (_sums[gone] is { } freed)
        {
            _freeSums.Push(freed);
            _sums[gone] = null;
        }
        if (_squares is not null)
        {
            _squares[keep] += _squares[gone];
        }

        if (_cannotLink is not null)
        {
            _cannotLink[keep] = Union(_cannotLink[keep], _cannotLink[gone]);
            _cannotLink[gone] = null;
        }

        if (_people is not null)
        {
            _people[keep] = Union(_people[keep], _people[gone]);
            _notPeople![keep] = Union(_notPeople[keep], _notPeople[gone]);
            _people[gone] = _notPeople[gone] = null;
        }

        return keep;
    }

    /// <summary>Mean squared length of A and of B, and the mean dot product of their members: the distance.</summary>
    private double FromMeans(double squaresA, double squaresB, double meanDot) =>
        _cosine ? 1.0 - meanDot : Math.Sqrt(Math.Max(0, squaresA + squaresB - (2 * meanDot)));

    /// <summary>(sum of a's members) . (sum of b's members), for roots or single points.</summary>
    private double Dot(int a, int b) =>
        TensorPrimitives.Dot(_sums[a] ?? _set.Rows[a], _sums[b] ?? _set.Rows[b]) *
        ((double)(_sums[a] is null ? RowScale(a) : 1) * (_sums[b] is null ? RowScale(b) : 1)); // scales multiplied first: Dot(a, b) == Dot(b, a) exactly

    private float RowScale(int i) => _cosine ? (float)(1.0 / _set.Norms[i]) : 1f;

    private float[] Scaled(int i)
    {
        float[] sum = _freeSums.TryPop(out float[]? free) ? free : new float[_set.Dimension];
        TensorPrimitives.Multiply(_set.Rows[i], RowScale(i), sum);
        return sum;
    }

    private static HashSet<int>? Union(HashSet<int>? a, HashSet<int>? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        (HashSet<int> small, HashSet<int> large) = a.Count <= b.Count ? (a, b) : (b, a);
        large.UnionWith(small);
        return large;
    }
}
