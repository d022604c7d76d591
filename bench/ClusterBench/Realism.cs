using System.Globalization;
using System.Numerics.Tensors;
using FaceCluster.Engine.Tests.Clustering;

/// <summary>
/// <c>ClusterBench realism CACHE...</c>: the distances of real faces (LibraryBenchmark's faceplugin-*.faces caches, one
/// folder per person) beside those of <see cref="RealisticFaces"/>, as text histograms: one person's pairs, different
/// people's pairs, and the share of faces in people of each size.
/// </summary>
internal static class Realism
{
    private const double Bin = 0.05;
    private const int Bins = 26; // 0 to 1.30
    private const int PairSample = 400_000;

    public static void Run(IReadOnlyList<string> caches, int syntheticCount)
    {
        var columns = new List<(string Name, List<float[]> Vectors, int[] Person)>();
        foreach (string cache in caches)
        {
            (List<float[]> v, int[] person) = ReadLabelled(cache);
            columns.Add((Path.GetFileNameWithoutExtension(cache), v, person));
        }

        if (columns.Count > 1)
        {
            columns.Add(("real (all)", columns.SelectMany(c => c.Vectors).ToList(), Concat(columns.Select(c => c.Person))));
        }

        (List<float[]> sv, int[] sp) = RealisticFaces.Generate(syntheticCount, columns.Count > 0 ? columns[0].Vectors[0].Length : 512, seed: 42);
        columns.Add(($"synthetic {syntheticCount:N0}", sv, sp));
        var rng = new Random(7);
        var same = columns.Select(c => Pairs(c.Vectors, c.Person, true, rng)).ToArray();
        var different = columns.Select(c => Pairs(c.Vectors, c.Person, false, rng)).ToArray();
        Console.WriteLine($"# columns: {string.Join(" | ", columns.Select(c => $"{c.Name}: {c.Vectors.Count:N0} faces, {c.Person.Where(p => p >= 0).Distinct().Count():N0} people, strangers {Share(c.Person.Count(p => p < 0), c.Person.Length)}"))}");
        Print("one person's pairs: share of pairs at each cosine distance", same);
        Print("different people's pairs", different);
        Console.WriteLine();
        Console.WriteLine("| statistic | " + string.Join(" | ", columns.Select(c => c.Name)) + " |");
        Console.WriteLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        Console.WriteLine("| one person: mean, sd | " + string.Join(" | ", same.Select(h => $"{h.Mean:F3}, {h.Sd:F3}")) + " |");
        Console.WriteLine("| one person: 95th, 99th percentile | " + string.Join(" | ", same.Select(h => $"{h.Quantile(0.95):F2}, {h.Quantile(0.99):F2}")) + " |");
        Console.WriteLine("| different: mean, sd | " + string.Join(" | ", different.Select(h => $"{h.Mean:F3}, {h.Sd:F3}")) + " |");
        Console.WriteLine("| different: 0.1st, 1st percentile | " + string.Join(" | ", different.Select(h => $"{h.Quantile(0.001):F2}, {h.Quantile(0.01):F2}")) + " |");
        Console.WriteLine("| different within 0.54 / 0.72 | " + string.Join(" | ", different.Select(h => $"{h.AtOrBelow(0.54):P3} / {h.AtOrBelow(0.72):P2}")) + " |");
        Console.WriteLine("| people-size exponent (fit, sizes >= 2) | " + string.Join(" | ", columns.Select(c => $"{SizeExponent(c.Person):F2}")) + " |");
        Console.WriteLine();
        Console.WriteLine("| faces in people of size | " + string.Join(" | ", columns.Select(c => c.Name)) + " |");
        Console.WriteLine("|---|" + string.Concat(columns.Select(_ => "---:|")));
        var sizeShares = columns.Select(c => SizeShares(c.Person)).ToArray();
        for (int b = 0; b < sizeShares[0].Length; b++)
        {
            string label = b == 0 ? "1 (strangers)" : $"{1 << b} to {(1 << (b + 1)) - 1}";
            Console.WriteLine($"| {label} | " + string.Join(" | ", sizeShares.Select(s => Share(s[b], s.Sum()))) + " |");
        }
    }

    private static void Print(string title, Histogram[] columns)
    {
        Console.WriteLine();
        Console.WriteLine($"{title}; bar: the last column");
        foreach (int b in Enumerable.Range(0, Bins))
        {
            double last = columns[^1].Share(b);
            string cells = string.Join("  ", columns.Select(c => $"{c.Share(b) * 100,6:F2}%"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{b * Bin,4:F2}-{(b + 1) * Bin:F2}  {cells}  {new string('#', (int)Math.Round(last * 200))}"));
        }
    }

    /// <summary>Pairs of one person (or of different people), every pair or a random sample of them.</summary>
    private static Histogram Pairs(List<float[]> vectors, int[] person, bool samePerson, Random rng)
    {
        var h = new Histogram();
        if (samePerson)
        {
            var byPerson = Enumerable.Range(0, person.Length).Where(i => person[i] >= 0).GroupBy(i => person[i]).Select(g => g.ToArray()).ToArray();
            long total = byPerson.Sum(g => (long)g.Length * (g.Length - 1) / 2);
            double keep = Math.Min(1, (double)PairSample / Math.Max(1, total));
            foreach (int[] g in byPerson)
            {
                for (int a = 0; a < g.Length; a++)
                {
                    for (int b = a + 1; b < g.Length; b++)
                    {
                        if (keep >= 1 || rng.NextDouble() < keep)
                        {
                            h.Add(Distance(vectors[g[a]], vectors[g[b]]));
                        }
                    }
                }
            }

            return h;
        }

        int[] labelled = Enumerable.Range(0, person.Length).Where(i => person[i] >= 0).ToArray();
        for (int k = 0; k < PairSample; k++)
        {
            int a = labelled[rng.Next(labelled.Length)], b = labelled[rng.Next(labelled.Length)];
            if (person[a] != person[b])
            {
                h.Add(Distance(vectors[a], vectors[b]));
            }
        }

        return h;
    }

    private static double Distance(float[] a, float[] b) =>
        1.0 - (TensorPrimitives.Dot(a, b) / (TensorPrimitives.Norm(a) * TensorPrimitives.Norm(b)));

    /// <summary>Faces in people of size 1 (strangers), 2-3, 4-7, ...; the last bin takes the rest.</summary>
    private static long[] SizeShares(int[] person)
    {
        var shares = new long[14];
        shares[0] = person.Count(p => p < 0);
        foreach (var g in person.Where(p => p >= 0).GroupBy(p => p))
        {
            int size = g.Count();
            shares[Math.Min(shares.Length - 1, size < 2 ? 0 : (int)Math.Log2(size))] += size;
        }

        return shares;
    }

    /// <summary>Maximum-likelihood exponent of a power law of the sizes of at least 2 (discrete, by the continuous
    /// approximation from 1.5).</summary>
    private static double SizeExponent(int[] person)
    {
        int[] sizes = person.Where(p => p >= 0).GroupBy(p => p).Select(g => g.Count()).Where(s => s >= 2).ToArray();
        return 1 + (sizes.Length / sizes.Sum(s => Math.Log(s / 1.5)));
    }

    private static string Share(long part, long whole) => whole == 0 ? "–" : $"{100.0 * part / whole:F1}%";

    private static int[] Concat(IEnumerable<int[]> persons)
    {
        var all = new List<int>();
        int offset = 0;
        foreach (int[] p in persons)
        {
            all.AddRange(p.Select(x => x < 0 ? -1 : x + offset));
            offset += p.Max() + 1;
        }

        return [.. all];
    }

    /// <summary>
    /// The faces of a LibraryBenchmark cache and each one's person: the folder of its photo for the largest face of a
    /// photo, -1 (a stranger) for the photo's other faces and for a folder of one photo.
    /// </summary>
    private static (List<float[]> Vectors, int[] Person) ReadLabelled(string cache)
    {
        var faces = FacesCacheFile.Read(cache).Select(f => (Photo: f.Path, Area: f.Box.Width * f.Box.Height, f.Vector)).ToList();

        var largest = faces.Select((f, i) => (f, i)).GroupBy(x => x.f.Photo).Select(g => g.MaxBy(x => x.f.Area).i).ToHashSet();
        var folderOf = faces.Select(f => Path.GetFileName(Path.GetDirectoryName(f.Photo))!).ToArray();
        var photosPerFolder = largest.GroupBy(i => folderOf[i]).ToDictionary(g => g.Key, g => g.Count());
        var ids = new Dictionary<string, int>();
        var person = new int[faces.Count];
        for (int i = 0; i < faces.Count; i++)
        {
            person[i] = largest.Contains(i) && photosPerFolder[folderOf[i]] > 1
                ? (ids.TryGetValue(folderOf[i], out int id) ? id : ids[folderOf[i]] = ids.Count)
                : -1;
        }

        return (faces.Select(f => f.Vector).ToList(), person);
    }

    /// <summary>Counts of distances in bins of <see cref="Bin"/>, with running moments.</summary>
    private sealed class Histogram
    {
        private readonly long[] _counts = new long[Bins];
        private readonly List<float> _values = [];
        private double _sum, _squares;

        public void Add(double d)
        {
            _counts[Math.Clamp((int)(d / Bin), 0, Bins - 1)]++;
            _values.Add((float)d);
            _sum += d;
            _squares += d * d;
        }

        public double Mean => _sum / _values.Count;

        public double Sd => Math.Sqrt(Math.Max(0, (_squares / _values.Count) - (Mean * Mean)));

        public double Share(int bin) => (double)_counts[bin] / Math.Max(1, _values.Count);

        public double AtOrBelow(double d) => (double)_values.Count(v => v <= d) / Math.Max(1, _values.Count);

        public double Quantile(double q)
        {
            _values.Sort();
            return _values.Count == 0 ? double.NaN : _values[(int)Math.Min(_values.Count - 1, q * _values.Count)];
        }
    }
}
