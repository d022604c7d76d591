using System.Numerics;
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
/// whose mean lies within the threshold are measured face by face. Scores come from the blocked kernel
/// (<see cref="DotTileKernel"/>; cosine: in 16-bit integers, <see cref="QuantizedUnitRows"/>, faster than in float:
/// docs/benchmarks.md, "Nightly runs"), blocks of faces in parallel; every candidate within the kernel's error
/// bound of the threshold or of the best is decided again in double, so the answer does not depend on summation order
/// or on the screen. Ties go to the lower person id.
/// </para>
/// </summary>
public static class PersonPlacer
{
    private const int B = NeighbourScan.BlockSize;

    /// <summary>Faces compared with each block of people at once.</summary>
    private const int FaceBlock = 8 * B;

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
        People people = People.Of(vectors, personOf, metric, workers);
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
        // Faces in blocks of FaceBlock, each compared with every person B at a time: the people's rows pass through
        // the cache once a face block, not once every B faces.
        int blocks = (rows.Length + FaceBlock - 1) / FaceBlock, personBlocks = (people.Count + B - 1) / B;

        // Cosine: a first look in 16-bit integers (QuantizedUnitRows): x̂ . m = |m| (x̂ . m/|m|), the latter within
        // the rows' error bound, so the 16-bit score is within |m| times it of the float one.
        Screen? screen = cosine && DotTileKernel.Int16Supported ? Screen.Of(rows, people) : null;
        const double InverseScaleSquared = 1.0 / (QuantizedUnitRows.Scale * QuantizedUnitRows.Scale);
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = ct };
        Parallel.For(0, blocks, po, () => (Tile: new float[screen is null ? FaceBlock * B : 0], IntTile: new int[screen is null ? 0 : FaceBlock * B],
            Near: Enumerable.Range(0, FaceBlock).Select(_ => new List<int>()).ToArray()), (qb, _, local) =>
        {
            int q0 = qb * FaceBlock, nq = Math.Min(FaceBlock, rows.Length - q0);
            var limit = new double[nq];
            var margin = new double[nq];
            for (int r = 0; r < nq; r++)
            {
                local.Near[r].Clear();
                // Two kernel errors (|x| |c| gamma, doubled in the Euclidean surrogate; or the 16-bit rows' bound times
                // |m|) and the float rounding of the means.
                margin[r] = screen is not null ? (2 * screen.ErrorBound * people.MaxNorm) + 1e-6 : (4 * gamma * people.MaxNorm * Math.Sqrt(squares[q0 + r])) + 1e-6;
                limit[r] = double.PositiveInfinity; // max(threshold, nearest so far) + margin; none yet
            }

            for (int pb = 0; pb < personBlocks; pb++)
            {
                ct.ThrowIfCancellationRequested();
                int p0 = pb * B, np = Math.Min(B, people.Count - p0);
                if (screen is not null)
                {
                    DotTileKernel.ComputeInt16(screen.Faces.Rows, q0, nq, screen.Means.Rows, p0, np, screen.Faces.Zero, local.IntTile, B);
                }
                else
                {
                    DotTileKernel.Compute(rows, q0, nq, people.Means, p0, np, zero, local.Tile, B);
                }

                for (int r = 0; r < nq; r++)
                {
                    IReadOnlyCollection<int>? not = excluded?[q0 + r];
                    double within = limit[r];
                    for (int p = 0; p < np; p++)
                    {
                        double s = screen is not null
                            ? 1.0 - (screen.MeanNorms[p0 + p] * local.IntTile[(r * B) + p] * InverseScaleSquared)
                            : people.Surrogate(p0 + p, local.Tile[(r * B) + p], squares[q0 + r]);
                        if (s <= within && (not is null || !not.Contains(people.Ids[p0 + p])))
                        {
                            local.Near[r].Add(p0 + p);
                            within = Math.Max(topSurrogate + margin[r], Math.Min(within, s + margin[r]));
                        }
                    }

                    limit[r] = within;
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

    /// <summary>The faces' unit rows and the people's mean directions in 16 bits, and the means' lengths.</summary>
    private sealed record Screen(QuantizedUnitRows Faces, QuantizedUnitRows Means, double[] MeanNorms)
    {
        /// <summary>Largest error of a 16-bit dot product of a face with a person's direction.</summary>
        public double ErrorBound => Math.Max(Faces.ErrorBound, Means.ErrorBound);

        /// <summary>Null where a person's mean is zero (no direction to round).</summary>
        public static Screen? Of(float[][] faces, People people)
        {
            if (people.MeanSquares.Any(s => s == 0) || people.Means.Any(m => m.All(v => v == 0)))
            {
                return null;
            }

            VectorSet means = VectorSet.Create(people.Means, DistanceMetric.Cosine, nameof(people));
            return new Screen(QuantizedUnitRows.Create(VectorSet.Create(faces, DistanceMetric.Cosine, nameof(faces))),
                QuantizedUnitRows.Create(means), means.Norms);
        }
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

        public static People Of(IReadOnlyList<float[]> vectors, IReadOnlyList<int> personOf, DistanceMetric metric, int workers)
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
            Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, p =>
            {
                var sum = new double[vectors[members[p][0]].Length];
                foreach (int i in members[p])
                {
                    float[] v = vectors[i];
                    AddScaled(sum, v, cosine ? 1 / ExactDistance.Norm(v) : 1);
                }

                sums[p] = sum;
            });

            return new People(ids, members, sums, cosine);
        }

        /// <summary>sum[k] += v[k] * scale, several k at once: each product and sum rounded as one at a time would.</summary>
        private static void AddScaled(double[] sum, float[] v, double scale)
        {
            int k = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var factor = new Vector<double>(scale);
                for (; k <= v.Length - Vector<float>.Count; k += Vector<float>.Count)
                {
                    Vector.Widen(new Vector<float>(v, k), out Vector<double> low, out Vector<double> high);
                    (new Vector<double>(sum, k) + (low * factor)).CopyTo(sum, k);
                    (new Vector<double>(sum, k + Vector<double>.Count) + (high * factor)).CopyTo(sum, k + Vector<double>.Count);
                }
            }

            for (; k < v.Length; k++)
            {
                sum[k] += v[k] * scale;
            }
        }
    }
}
