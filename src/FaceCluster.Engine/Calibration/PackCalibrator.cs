using System.Globalization;
using System.Numerics.Tensors;
using FaceCluster.Model;

namespace FaceCluster.Engine.Calibration;

/// <summary>
/// Measures a pack's library rule (packs.json "libraryThreshold" and "linkageThreshold") from labelled photos.
/// The table: over every set, every pair of the largest faces of two photos of different people (at most
/// <see cref="PackCalibrationOptions.MaxPhotosPerSet"/> photos of a set, every k-th in path order), the share at or
/// below each distance. The ceiling: over the ceiling sets, the average distance between two people's photos (average
/// linkage's distance between their groups) for every pair of people with enough photos, at the chosen quantile.
/// The same faces give the same numbers, whatever order they come in.
/// </summary>
public static class PackCalibrator
{
    public static ModelPackCalibration Calibrate(IEnumerable<FaceEncoding> faces, IReadOnlyList<LabelledSet> sets,
        DistanceMetric metric, PackCalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(options);
        bool cosine = metric == DistanceMetric.Cosine;
        double from = cosine ? 0.30 : 0.20, to = 1.00, width = options.DistanceStep;
        int bins = (int)Math.Round((to - from) / width) + 1;
        var atOrBelow = new long[bins];
        long pairs = 0;
        var ceilingDistances = new List<double>();
        var summaries = new List<CalibrationSetSummary>();
        var largest = Largest(faces, sets);
        for (int s = 0; s < sets.Count; s++)
        {
            var labelled = largest[s];
            int stride = Math.Max(1, (labelled.Length + options.MaxPhotosPerSet - 1) / options.MaxPhotosPerSet);
            var sample = labelled.Where((_, i) => i % stride == 0).ToArray();
            for (int i = 0; i < sample.Length; i++)
            {
                for (int j = i + 1; j < sample.Length; j++)
                {
                    if (string.Equals(sample[i].Person, sample[j].Person, StringComparison.Ordinal)) continue;
                    pairs++;
                    double d = Distance(sample[i].Face.Vector, sample[j].Face.Vector, cosine);
                    int bin = (int)Math.Ceiling(Math.Round((d - from) / width, 9));
                    if (bin < bins) atOrBelow[Math.Max(bin, 0)]++;
                }
            }

            var between = BetweenPeople(labelled, cosine, options.MinPhotosForCeiling);
            if (sets[s].Ceiling) ceilingDistances.AddRange(between);
            between.Sort();
            summaries.Add(new CalibrationSetSummary(sets[s].Path, labelled.Length, labelled.Select(f => f.Person).Distinct(StringComparer.Ordinal).Count(),
                sets[s].Ceiling, between.Count, Quantile(between, 0.001), Quantile(between, 0.005), Quantile(between, 0.01), Quantile(between, 0.05),
                between.Count == 0 ? null : between[0]));
        }

        if (pairs == 0)
        {
            throw new InvalidOperationException("No two labelled photos of different people have a face: calibration needs faces of at least two people.");
        }

        for (int b = 1; b < bins; b++) atOrBelow[b] += atOrBelow[b - 1];
        double[] shares = atOrBelow.Select(c => double.Parse(((double)c / pairs).ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).ToArray();
        ceilingDistances.Sort();
        double? ceiling = Quantile(ceilingDistances, options.CeilingQuantile) is double q ? OnGrid(Math.Floor(Math.Round(q / width, 4)) * width) : null;
        int pairIndex = Array.FindLastIndex(shares, x => x <= options.PairShare);
        double linkage = OnGrid(from + (Math.Max(pairIndex, 0) * width));
        return new ModelPackCalibration
        {
            Metric = metric,
            DistanceFrom = from,
            DistanceStep = width,
            ShareAtOrBelow = shares,
            DifferentPeoplePairs = pairs,
            PeoplePairs = ceilingDistances.Count,
            MaxThreshold = ceiling,
            LinkageThreshold = ceiling is double c ? Math.Min(linkage, c) : linkage,
            FalsePairShare = options.FalsePairShare,
            CeilingQuantile = options.CeilingQuantile,
            PairShare = options.PairShare,
            Sets = summaries,
        };
    }

    /// <summary>Per set, the largest face of each labelled photo (ties: lowest index) with its person, in ordinal path order.</summary>
    private static (FaceEncoding Face, string Person)[][] Largest(IEnumerable<FaceEncoding> faces, IReadOnlyList<LabelledSet> sets)
    {
        var perSet = sets.Select(_ => new Dictionary<string, FaceEncoding>(StringComparer.Ordinal)).ToArray();
        foreach (FaceEncoding face in faces)
        {
            int s = Enumerable.Range(0, sets.Count).FirstOrDefault(i => sets[i].Truth.IdentityByPath.ContainsKey(face.Path), -1);
            if (s < 0) continue;
            if (!perSet[s].TryGetValue(face.Path, out FaceEncoding? kept) || Larger(face, kept))
            {
                perSet[s][face.Path] = face;
            }
        }

        return perSet.Select((photos, s) => photos.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (p.Value, sets[s].Truth.IdentityByPath[p.Key])).ToArray()).ToArray();
    }

    private static bool Larger(FaceEncoding face, FaceEncoding than)
    {
        float a = face.Box.Width * face.Box.Height, b = than.Box.Width * than.Box.Height;
        return a > b || (a == b && face.FaceIndex < than.FaceIndex);
    }

    /// <summary>Average linkage's distance between every two people with at least <paramref name="minPhotos"/> photos.</summary>
    private static List<double> BetweenPeople((FaceEncoding Face, string Person)[] labelled, bool cosine, int minPhotos)
    {
        var groups = labelled.GroupBy(f => f.Person, StringComparer.Ordinal).Where(g => g.Count() >= minPhotos)
            .Select(g => (Sum: Sum(g.Select(f => Prepared(f.Face.Vector, cosine))), Squares: g.Sum(f => Square(f.Face.Vector, cosine)), Count: g.Count())).ToArray();
        var between = new List<double>();
        for (int i = 0; i < groups.Length; i++)
        {
            for (int j = i + 1; j < groups.Length; j++)
            {
                double dot = TensorPrimitives.Dot(groups[i].Sum, groups[j].Sum) / ((double)groups[i].Count * groups[j].Count);
                between.Add(cosine ? 1 - dot : Math.Sqrt(Math.Max(0, (groups[i].Squares / groups[i].Count) + (groups[j].Squares / groups[j].Count) - (2 * dot))));
            }
        }

        return between;
    }

    private static double? Quantile(List<double> sorted, double q) => sorted.Count == 0 ? null : sorted[(int)(q * (sorted.Count - 1))];

    private static double OnGrid(double x) => Math.Round(x, 6);

    private static double Distance(float[] a, float[] b, bool cosine) => cosine ? 1 - TensorPrimitives.CosineSimilarity(a, b) : TensorPrimitives.Distance(a, b);

    private static float[] Prepared(float[] v, bool cosine) => cosine ? v.Select(x => x / TensorPrimitives.Norm(v)).ToArray() : v;

    private static double Square(float[] v, bool cosine) => cosine ? 1 : TensorPrimitives.Dot(v, v);

    private static float[] Sum(IEnumerable<float[]> vectors)
    {
        float[]? sum = null;
        foreach (float[] v in vectors)
        {
            sum ??= new float[v.Length];
            TensorPrimitives.Add(sum, v, sum);
        }

        return sum!;
    }
}
