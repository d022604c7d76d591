using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Review;

/// <summary>
/// For each person, the most alike other person: the one holding the face nearest to any of its faces (in the
/// clustering's metric; same model pack only), among the <see cref="Candidates"/> people whose mean face is nearest
/// its own. The review page's suggestion for "merge these two": a person split in two usually leaves faces of the
/// two pieces side by side, even when the pieces' typical faces differ; the nearest pair names the rest of a split
/// person more often than the nearest representatives did (docs/benchmarks.md, "Review hints"). A hint for a
/// reviewer, not a clustering decision.
/// <para>
/// Cost, bounded so that a million-face export pays for it once in seconds: the candidates come from every pair of
/// mean faces, compared with the blocked float kernel (<see cref="DotTileKernel"/>) and those within its rounding
/// bound of the <see cref="Candidates"/>-th nearest decided again in double, so they are exactly the nearest means
/// (ties: the lower person id). Of a person with more than <see cref="FacesCompared"/> faces, only that many take
/// part in the nearest-face search (<see cref="NearestClusterFinder"/>), as the person searched from and as a
/// candidate: every k-th face in the person's order, k the ceiling of its faces over <see cref="FacesCompared"/>. The
/// mean face is always that of all its faces. An export keeps the hints (<see cref="NearestPeopleState"/>) and the
/// next computes again only what a change can reach, changed people times all people rather than all times all.
/// </para>
/// </summary>
public static class NearestPeople
{
    /// <summary>How many people, nearest by mean face, are searched for the nearest face.</summary>
    public const int Candidates = 8;

    /// <summary>The most faces of one person compared face by face (a larger person's faces are sampled evenly).</summary>
    public const int FacesCompared = 200;

    private const int B = 64;

    /// <returns>Person id to the id of its most alike other person (ties: the lower id); people without faces, or
    /// without another person of the same model pack, are absent.</returns>
    public static IReadOnlyDictionary<int, int> Find(IReadOnlyList<FaceGroup> groups, CancellationToken cancellationToken = default) =>
        Find(groups, null, cancellationToken).Nearest();

    /// <summary>
    /// The same hints, computed again only where they can differ from <paramref name="previous"/> (an earlier export's):
    /// for the people whose mean or compared faces changed (new, gone, grown, merged, split), and for the others only
    /// where a changed person's mean now comes within their farthest candidate, or a candidate changed or went.
    /// The changed people's means are compared with every mean (changed times all, not all times all); the answer is
    /// the one <paramref name="previous"/> = null gives.
    /// </summary>
    /// <param name="groups">The exported groups.</param>
    /// <param name="previous">The hints an earlier export kept (<see cref="NearestPeopleState.Read"/>); null or of another rule: every person computed.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    public static NearestPeopleState Find(IReadOnlyList<FaceGroup> groups, NearestPeopleState? previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var kept = previous is { Rule: var rule } && rule == NearestPeopleState.CurrentRule
            ? previous.People.GroupBy(p => p.Pack).ToDictionary(g => g.Key, g => g.ToDictionary(p => p.Id))
            : [];
        var entries = new List<NearestPersonEntry>();
        foreach (var pack in groups.Where(g => !g.IsDoubtful && g.FaceCount > 0).OrderBy(g => g.Id)
            .GroupBy(g => (g.Members[0].Face.Model, g.Members[0].Face.Vector.Length)))
        {
            FaceGroup[] people = [.. pack];
            var metric = people[0].Clustering?.Metric ?? DistanceMetric.Cosine;
            string packKey = FormattableString.Invariant($"{pack.Key.Model}/{pack.Key.Length}/{metric}");
            entries.AddRange(FindInPack(people, metric, packKey, kept.GetValueOrDefault(packKey), cancellationToken));
        }

        return new NearestPeopleState { Format = NearestPeopleState.CurrentFormat, Rule = NearestPeopleState.CurrentRule, People = entries };
    }

    private static NearestPersonEntry[] FindInPack(FaceGroup[] people, DistanceMetric metric, string packKey,
        Dictionary<int, NearestPersonEntry>? before, CancellationToken cancellationToken)
    {
        int n = people.Length;
        var vectors = new List<float[]>();
        var members = new int[n][];
        for (int k = 0; k < n; k++)
        {
            IReadOnlyList<ClusterMember> faces = people[k].Members;
            int stride = (faces.Count + FacesCompared - 1) / FacesCompared;
            members[k] = Enumerable.Range(vectors.Count, (faces.Count + stride - 1) / stride).ToArray();
            for (int i = 0; i < faces.Count; i += stride)
            {
                vectors.Add(faces[i].Face.Vector);
            }
        }

        var means = people.Select(p => Mean(p.Faces.Select(f => f.Vector), metric)).ToArray();
        var prints = new string[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, k => prints[k] = Fingerprint(means[k], members[k].Select(i => vectors[i])));
        var index = new Dictionary<int, int>(n);
        for (int k = 0; k < n; k++)
        {
            index[people[k].Id] = k;
        }

        // A person's kept entry, where its faces are the same as then.
        var same = new NearestPersonEntry?[n];
        for (int k = 0; k < n; k++)
        {
            same[k] = before is not null && before.TryGetValue(people[k].Id, out var e) && e.Faces == prints[k] ? e : null;
        }

        var space = new MeanSpace(means, metric);
        var near = new (int Q, double S)[n][];
        var standing = new bool[n];
        int[] changed = Enumerable.Range(0, n).Where(k => same[k] is null).ToArray();
        if (changed.Length == n)
        {
            space.Rank(changed, near, null, cancellationToken);
        }
        else
        {
            // An unchanged person's other people were ranked after its farthest candidate, and still are, unless
            // they changed: the changed ones within that bound join its kept candidates, the nearest of which are its
            // candidates now, if the farthest of them is no farther than before (else a candidate moved away or
            // went, and the person is ranked again against every mean).
            var limits = same.Select(e => e is null ? double.NaN : e.LastSurrogate ?? double.PositiveInfinity).ToArray();
            List<int>[] entering = space.Rank(changed, near, limits, cancellationToken);
            var again = new List<int>();
            for (int k = 0; k < n; k++)
            {
                if (same[k] is not { } e)
                {
                    continue;
                }

                // Nothing entered and every candidate is there unchanged: the kept candidates are the ranking, their
                // distances the ones kept (the same means), so they are not computed again.
                if (entering[k].Count == 0 && e.Candidates.All(id => index.TryGetValue(id, out int q) && same[q] is not null))
                {
                    standing[k] = true;
                    continue;
                }

                var ranked = e.Candidates.Where(index.ContainsKey).Select(id => index[id]).Concat(entering[k]).Distinct()
                    .Select(q => (Q: q, S: space.Surrogate(k, q))).OrderBy(t => t.S).ThenBy(t => t.Q).Take(Candidates).ToArray();
                bool holds = e.LastSurrogate is not { } last
                    || (ranked.Length == Candidates && (ranked[^1].S < last || (ranked[^1].S == last && people[ranked[^1].Q].Id <= e.Last)));
                if (holds)
                {
                    near[k] = ranked;
                }
                else
                {
                    again.Add(k);
                }
            }

            space.Rank([.. again], near, null, cancellationToken);
        }

        // The hint: the candidate holding the face nearest to one of the person's (ties: the lower id). A kept hint
        // whose person is still a candidate and unchanged is beaten only by a candidate that changed or is new to the
        // list, so only those are searched. Cosine only: there the distance is the surrogate itself, so ties are the
        // same ties whichever candidates are searched together.
        var candidates = Enumerable.Range(0, n).Select(k => standing[k]
            ? same[k]!.Candidates.Select(id => index[id]).Order().ToArray()
            : near[k].Select(t => t.Q).Order().ToArray()).ToArray();
        var found = new (double Distance, int Id)[n];
        Array.Fill(found, (double.PositiveInfinity, 0));
        var search = new List<(int K, int[] Among)>();
        for (int k = 0; k < n; k++)
        {
            if (metric == DistanceMetric.Cosine && same[k] is { Hint: int hint, HintDistance: double distance } e
                && index.TryGetValue(hint, out int h) && same[h] is not null && candidates[k].Contains(h))
            {
                found[k] = (distance, hint);
                int[] among = candidates[k].Where(q => same[q] is null || !e.Candidates.Contains(people[q].Id)).ToArray();
                if (among.Length > 0)
                {
                    search.Add((k, among));
                }
            }
            else if (candidates[k].Length > 0)
            {
                search.Add((k, candidates[k]));
            }
        }

        var options = new FaceClusteringOptions { Metric = metric, MaxDegreeOfParallelism = 1 };
        var roles = Enumerable.Repeat(FaceRole.Core, vectors.Count).ToArray();
        Parallel.ForEach(search, new ParallelOptions { CancellationToken = cancellationToken }, s =>
        {
            NearestCluster?[] pairs = NearestClusterFinder.Find(vectors, s.Among.Select(q => members[q]).ToArray(), roles, members[s.K], options, cancellationToken);
            foreach (NearestCluster pair in pairs.OfType<NearestCluster>())
            {
                found[s.K] = Comparer<(double, int)>.Default.Compare((pair.Distance, people[s.Among[pair.ClusterId]].Id), found[s.K]) < 0
                    ? (pair.Distance, people[s.Among[pair.ClusterId]].Id) : found[s.K];
            }
        });

        return Enumerable.Range(0, n).Select(k => new NearestPersonEntry(
            people[k].Id, packKey, prints[k], candidates[k].Select(q => people[q].Id).ToArray(),
            standing[k] ? same[k]!.Last : near[k].Length == Candidates ? people[near[k][^1].Q].Id : null,
            standing[k] ? same[k]!.LastSurrogate : near[k].Length == Candidates ? near[k][^1].S : null,
            double.IsPositiveInfinity(found[k].Distance) ? null : found[k].Id,
            double.IsPositiveInfinity(found[k].Distance) ? null : found[k].Distance)).ToArray();
    }

    /// <summary>What the hint reads of a person: its mean face and its compared faces.</summary>
    private static string Fingerprint(float[] mean, IEnumerable<float[]> compared)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(mean.AsSpan()));
        foreach (float[] v in compared)
        {
            hash.AppendData(MemoryMarshal.AsBytes(v.AsSpan()));
        }

        return Convert.ToBase64String(hash.GetHashAndReset(), 0, 18);
    }

    /// <summary>
    /// The people's mean faces, ranked against each other by <see cref="ExactDistance.Surrogate"/>. Float kernel
    /// first (<see cref="DotTileKernel"/>); every pair within its error bound of a row's running
    /// <see cref="Candidates"/>-th best is decided in double.
    /// </summary>
    private sealed class MeanSpace
    {
        private readonly float[][] _means;
        private readonly float[][] _rows;
        private readonly double[] _norms;
        private readonly double[] _margin;
        private readonly DistanceMetric _metric;
        private readonly bool _cosine;

        public MeanSpace(float[][] means, DistanceMetric metric)
        {
            _means = means;
            _metric = metric;
            _cosine = metric == DistanceMetric.Cosine;
            _norms = means.Select(ExactDistance.Norm).ToArray();
            _rows = _cosine ? means.Select((m, k) => m.Select(v => (float)(v / _norms[k])).ToArray()).ToArray() : means;
            double[] rowNorms = _cosine ? _rows.Select(ExactDistance.Norm).ToArray() : _norms;
            double maxNorm = rowNorms.DefaultIfEmpty(0).Max();
            // The kernel's error (gamma |a| |b|, doubled in the Euclidean surrogate), the rounding of unit rows to
            // float, and slack for the double arithmetic.
            double gamma = DotTileKernel.DotErrorBound(means[0].Length);
            _margin = rowNorms.Select(r => (4 * gamma * r * maxNorm) + (_cosine ? 1e-6 : 1e-6 * ((r * r) + (maxNorm * maxNorm)))).ToArray();
        }

        public double Surrogate(int k, int q) => ExactDistance.Surrogate(_means[k], _norms[k], _means[q], _norms[q], _metric);

        /// <summary>
        /// For each of <paramref name="queries"/>, the (at most) <see cref="Candidates"/> other people whose means
        /// are nearest (ties: the lower index), nearest first, into <paramref name="near"/>. With
        /// <paramref name="limits"/>: per person, the queries that may lie within its limit (inclusive; NaN: none).
        /// </summary>
        public List<int>[] Rank(int[] queries, (int Q, double S)[][] near, double[]? limits, CancellationToken ct)
        {
            int n = _means.Length, d = _means[0].Length;
            var entering = Enumerable.Range(0, limits is null ? 0 : n).Select(_ => new List<int>()).ToArray();
            float[][] queryRows = queries.Select(k => _rows[k]).ToArray();
            var zero = new float[d];
            int blocks = (n + B - 1) / B;
            Parallel.For(0, (queries.Length + B - 1) / B, new ParallelOptions { CancellationToken = ct }, () => (Tile: new float[B * B], Pairs: new List<(int J, int K)>()), (qb, _, local) =>
            {
                float[] tile = local.Tile;
                int q0 = qb * B, nq = Math.Min(B, queries.Length - q0);
                var kept = Enumerable.Range(0, nq).Select(_ => new List<int>()).ToArray();
                var bounds = Enumerable.Range(0, nq).Select(_ => new PriorityQueue<double, double>()).ToArray();
                for (int cb = 0; cb < blocks; cb++)
                {
                    ct.ThrowIfCancellationRequested();
                    int c0 = cb * B, nc = Math.Min(B, n - c0);
                    DotTileKernel.Compute(queryRows, q0, nq, _rows, c0, nc, zero, tile, B);
                    for (int r = 0; r < nq; r++)
                    {
                        int k = queries[q0 + r];
                        double margin = _margin[k];
                        PriorityQueue<double, double> upper = bounds[r];
                        for (int c = 0; c < nc; c++)
                        {
                            int q = c0 + c;
                            if (q == k)
                            {
                                continue;
                            }

                            double dot = tile[(r * B) + c];
                            double s = _cosine ? 1.0 - dot : (_norms[k] * _norms[k]) + (_norms[q] * _norms[q]) - (2 * dot);
                            if (limits is not null && s - margin <= limits[q])
                            {
                                local.Pairs.Add((q, k));
                            }

                            double limit = upper.Count < Candidates ? double.PositiveInfinity : upper.Peek();
                            if (s - margin <= limit)
                            {
                                kept[r].Add(q);
                                // Max-heap of the smallest upper bounds seen: its top is the Candidates-th smallest.
                                if (upper.Count < Candidates)
                                {
                                    upper.Enqueue(s + margin, -(s + margin));
                                }
                                else if (s + margin < upper.Peek())
                                {
                                    upper.EnqueueDequeue(s + margin, -(s + margin));
                                }
                            }
                        }
                    }
                }

                for (int r = 0; r < nq; r++)
                {
                    int k = queries[q0 + r];
                    near[k] = kept[r].Select(q => (Q: q, S: Surrogate(k, q))).OrderBy(t => t.S).ThenBy(t => t.Q).Take(Candidates).ToArray();
                }

                return local;
            }, local =>
            {
                lock (entering)
                {
                    foreach (var (j, k) in local.Pairs)
                    {
                        entering[j].Add(k);
                    }
                }
            });
            return entering;
        }
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
            // Lane by lane the same products and sums as one element at a time, so the same mean.
            int t = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var scales = new Vector<double>(scale);
                Span<Vector<double>> sums = MemoryMarshal.Cast<double, Vector<double>>(sum.AsSpan(0, sum.Length - (sum.Length % Vector<float>.Count)));
                ReadOnlySpan<Vector<float>> values = MemoryMarshal.Cast<float, Vector<float>>(v.AsSpan(0, sums.Length * Vector<double>.Count));
                for (int j = 0; j < values.Length; j++)
                {
                    Vector.Widen(values[j], out Vector<double> low, out Vector<double> high);
                    sums[2 * j] += low * scales;
                    sums[(2 * j) + 1] += high * scales;
                }

                t = sums.Length * Vector<double>.Count;
            }

            for (; t < v.Length; t++)
            {
                sum[t] += v[t] * scale;
            }

            count++;
        }

        return sum!.Select(s => (float)(s / count)).ToArray();
    }
}
