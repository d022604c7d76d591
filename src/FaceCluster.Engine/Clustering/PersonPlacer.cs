using FaceCluster.Model;

namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Places new faces among people that stay as they are (an incremental run): for each face, every person it may join,
/// nearest first, and the person it is nearest to. The measure is average linkage's: the average distance from the
/// face to the person's faces, so a face joins a person exactly when average linkage would let a face alone join that
/// group. A face may join a person of two or more faces within the group threshold, a person of one face within the
/// pair threshold (average linkage's rule for two faces alone).
/// <para>
/// Cosine: the average distance from x to a person's faces g is 1 - x̂ . mean(ĝ), so one row per person (the mean of
/// its unit vectors) gives it exactly: O(new faces x people x dim), whatever the people's sizes. Euclidean: the
/// distance to the person's mean is a lower bound of the average distance (the norm is convex), so only the people
/// whose mean lies within the threshold are measured face by face. Scores come from the blocked float kernel
/// (<see cref="DotTileKernel"/>), blocks of faces in parallel; every candidate within the kernel's rounding bound of
/// the threshold or of the best is decided again in double, so the answer does not depend on summation order. Ties go
/// to the lower person id.
/// </para>
/// </summary>
public static class PersonPlacer
{
    private const int B = NeighbourScan.BlockSize;

    /// <summary>A person a face may join, and the average distance to it.</summary>
    public readonly record struct Choice(int Person, double Distance);

    /// <summary>Where each face may go.</summary>
    /// <param name="Joinable">The people it may join, nearest first.</param>
    /// <param name="Nearest">The person it is nearest (average distance; Euclidean: the distance to the person's mean
    /// face) whatever the threshold, for the review; null when there is none.</param>
    public readonly record struct Placement(IReadOnlyList<Choice> Joinable, Choice? Nearest);

    /// <param name="vectors">All faces.</param>
    /// <param name="personOf">Per face, the person it stays in, or -1.</param>
    /// <param name="faces">The faces to place (indices into <paramref name="vectors"/>).</param>
    /// <param name="pairThreshold">Average linkage's pair threshold (a person of one face).</param>
    /// <param name="groupThreshold">Its group threshold (a person of two or more); null: the pair threshold.</param>
    /// <param name="metric">How distances are measured.</param>
    /// <param name="excluded">Per face of <paramref name="faces"/>, the people it may never join, or null.</param>
    /// <param name="workers">Threads.</param>
    /// <param name="ct">Cancels the work.</param>
    public static Placement[] Place(IReadOnlyList<float[]> vectors, IReadOnlyList<int> personOf, IReadOnlyList<int> faces,
        double pairThreshold, double? groupThreshold, DistanceMetric metric, IReadOnlyList<IReadOnlyCollection<int>?>? excluded,
        int workers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(personOf);
        ArgumentNullException.ThrowIfNull(faces);
        var result = new Placement[faces.Count];
        People people = People.Of(vectors, personOf, metric);
        if (faces.Count == 0 || people.Count == 0)
        {
            Array.Fill(result, new Placement([], null));
            return result;
        }

        bool cosine = metric == DistanceMetric.Cosine;
        int d = vectors[faces[0]].Length;
        float[][] rows = faces.Select(i => cosine ? Unit(vectors[i]) : vectors[i]).ToArray();
        double[] squares = rows.Select(r => Math.Pow(ExactDistance.Norm(r), 2)).ToArray();
        double top = groupThreshold is double g ? Math.Max(g, pairThreshold) : pairThreshold;
        double topSurrogate = ExactDistance.Threshold(top, metric);
        double gamma = DotTileKernel.DotErrorBound(d);
        var zero = new float[d];
        int blocks = (rows.Length + B - 1) / B, personBlocks = (people.Count + B - 1) / B;
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = ct };
        Parallel.For(0, blocks, po, () => (Tile: new float[B * B], Near: Enumerable.Range(0, B).Select(_ => new List<int>()).ToArray()), (qb, _, local) =>
        {
            int q0 = qb * B, nq = Math.Min(B, rows.Length - q0);
            var best = new double[nq];
            var margin = new double[nq];
            for (int r = 0; r < nq; r++)
            {
                best[r] = double.PositiveInfinity;
                local.Near[r].Clear();
                // Two kernel errors (|x| |c| gamma, doubled in the Euclidean surrogate) and the float rounding of the means.
                margin[r] = (4 * gamma * people.MaxNorm * Math.Sqrt(squares[q0 + r])) + 1e-6;
            }

            for (int pb = 0; pb < personBlocks; pb++)
            {
                ct.ThrowIfCancellationRequested();
                int p0 = pb * B, np = Math.Min(B, people.Count - p0);
                DotTileKernel.Compute(rows, q0, nq, people.Means, p0, np, zero, local.Tile, B);
                for (int r = 0; r < nq; r++)
                {
                    IReadOnlyCollection<int>? not = excluded?[q0 + r];
                    for (int p = 0; p < np; p++)
                    {
                        double s = people.Surrogate(p0 + p, local.Tile[(r * B) + p], squares[q0 + r]);
                        if (s <= Math.Max(topSurrogate, best[r]) + margin[r] && (not is null || !not.Contains(people.Ids[p0 + p])))
                        {
                            local.Near[r].Add(p0 + p);
                            best[r] = Math.Min(best[r], s);
                        }
                    }
                }
            }

            for (int r = 0; r < nq; r++)
            {
                result[q0 + r] = Decide(local.Near[r], vectors[faces[q0 + r]], vectors, people, pairThreshold, top,
                    excluded?[q0 + r], metric);
            }

            return local;
        }, _ => { });
        return result;
    }

    private static Placement Decide(List<int> near, float[] x, IReadOnlyList<float[]> vectors, People people,
        double pairThreshold, double groupThreshold, IReadOnlyCollection<int>? excluded, DistanceMetric metric)
    {
        var joinable = new List<Choice>();
        Choice? nearest = null;
        foreach (int p in near)
        {
            int id = people.Ids[p];
            if (excluded is not null && excluded.Contains(id))
            {
                continue;
            }

            double toMean = people.ExactDistanceToMean(p, x);
            if (nearest is not { } n || toMean < n.Distance || (toMean == n.Distance && id < n.Person))
            {
                nearest = new Choice(id, toMean);
            }

            double limit = people.Members[p].Count >= 2 ? groupThreshold : pairThreshold;
            if (toMean <= limit)
            {
                double average = metric == DistanceMetric.Cosine ? toMean : people.ExactAverageDistance(p, x, vectors);
                if (average <= limit)
                {
                    joinable.Add(new Choice(id, average));
                }
            }
        }

        joinable.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Person.CompareTo(b.Person));
        return new Placement(joinable, nearest);
    }

    private static float[] Unit(float[] v)
    {
        var unit = new float[v.Length];
        double norm = ExactDistance.Norm(v);
        for (int k = 0; k < v.Length; k++)
        {
            unit[k] = (float)(v[k] / norm);
        }

        return unit;
    }

    /// <summary>
    /// Each person's mean row (cosine: of its unit vectors), in float for the kernel and in double for the exact
    /// check, in order of person id.
    /// </summary>
    private sealed class People
    {
        private readonly double[][] _sums;
        private readonly bool _cosine;

        private People(int[] ids, List<int>[] members, double[][] sums, bool cosine)
        {
            Ids = ids;
            Members = members;
            _sums = sums;
            _cosine = cosine;
            Means = new float[ids.Length][];
            MeanSquares = new double[ids.Length];
            for (int p = 0; p < ids.Length; p++)
            {
                Means[p] = sums[p].Select(s => (float)(s / members[p].Count)).ToArray();
                double square = 0;
                foreach (double s in sums[p])
                {
                    square += s / members[p].Count * (s / members[p].Count);
                }

                MeanSquares[p] = square;
                MaxNorm = Math.Max(MaxNorm, Math.Sqrt(square));
            }
        }

        public int[] Ids { get; }

        public List<int>[] Members { get; }

        public float[][] Means { get; }

        public double[] MeanSquares { get; }

        public double MaxNorm { get; }

        public int Count => Ids.Length;

        /// <summary>Ordered like the distance to the mean: cosine 1 - x̂.m (x unit), Euclidean |x - m|².</summary>
        public double Surrogate(int p, double dot, double square) =>
            _cosine ? 1.0 - dot : Math.Max(0, square + MeanSquares[p] - (2 * dot));

        /// <summary>Cosine: the exact average distance; Euclidean: the exact distance to the mean.</summary>
        public double ExactDistanceToMean(int p, float[] x)
        {
            int n = Members[p].Count;
            double[] sum = _sums[p];
            if (_cosine)
            {
                double norm = ExactDistance.Norm(x), dot = 0;
                for (int k = 0; k < x.Length; k++)
                {
                    dot += x[k] / norm * (sum[k] / n);
                }

                return 1.0 - dot;
            }

            double square = 0;
            for (int k = 0; k < x.Length; k++)
            {
                double t = x[k] - (sum[k] / n);
                square += t * t;
            }

            return Math.Sqrt(square);
        }

        /// <summary>The exact average Euclidean distance from x to the person's faces.</summary>
        public double ExactAverageDistance(int p, float[] x, IReadOnlyList<float[]> vectors)
        {
            double total = 0, normX = ExactDistance.Norm(x);
            foreach (int i in Members[p])
            {
                total += Math.Sqrt(ExactDistance.Surrogate(x, normX, vectors[i], ExactDistance.Norm(vectors[i]), DistanceMetric.Euclidean));
            }

            return total / Members[p].Count;
        }

        public static People Of(IReadOnlyList<float[]> vectors, IReadOnlyList<int> personOf, DistanceMetric metric)
        {
            bool cosine = metric == DistanceMetric.Cosine;
            var index = new SortedDictionary<int, List<int>>();
            for (int i = 0; i < personOf.Count; i++)
            {
                if (personOf[i] >= 0)
                {
                    if (!index.TryGetValue(personOf[i], out List<int>? list))
                    {
                        index[personOf[i]] = list = [];
                    }

                    list.Add(i);
                }
            }

            int[] ids = index.Keys.ToArray();
            List<int>[] members = index.Values.ToArray();
            var sums = new double[ids.Length][];
            for (int p = 0; p < ids.Length; p++)
            {
                var sum = new double[vectors[members[p][0]].Length];
                foreach (int i in members[p])
                {
                    float[] v = vectors[i];
                    double scale = cosine ? 1 / ExactDistance.Norm(v) : 1;
                    for (int k = 0; k < v.Length; k++)
                    {
                        sum[k] += v[k] * scale;
                    }
                }

                sums[p] = sum;
            }

            return new People(ids, members, sums, cosine);
        }
    }
}
