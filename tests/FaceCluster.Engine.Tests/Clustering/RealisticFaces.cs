namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>
/// Synthetic unit face vectors whose distances look like a real pack's (issue 22): unlike <see cref="IdentityBlobs"/>,
/// whose people are far apart, people here share a common direction and one of a few look-alike directions, so
/// different people's faces lie at the spread of distances that real faces of different people do, and each face
/// strays from its person by its own amount (a person's blurry and profile faces), so one person's distances spread
/// wide as well. People's sizes follow a power law (a few people in thousands of faces, most in a few) and a share of
/// the faces are strangers seen once. The defaults (<see cref="RealisticProfile.Faceplugin"/>) were fitted to what
/// <c>ClusterBench realism</c> measures on the faceplugin encodings of pins-library and LFW (docs/benchmarks.md,
/// "Realistic synthetic faces"). Seeded and parallel: the same arguments give the same vectors on any machine.
/// </summary>
public static class RealisticFaces
{
    /// <summary>
    /// <paramref name="count"/> unit vectors and each one's person (-1: a stranger, seen once), people numbered from 0,
    /// largest first, faces in random order.
    /// </summary>
    public static (List<float[]> Vectors, int[] Person) Generate(int count, int dimension = 512, int seed = 42, RealisticProfile? profile = null)
    {
        RealisticProfile p = profile ?? RealisticProfile.Faceplugin;
        var rng = new Random(seed);
        int strangers = (int)Math.Round(count * p.StrangerShare);
        var sizes = PeopleSizes(count - strangers, p, rng);
        var common = Direction(rng, dimension, p.EffectiveDimension);
        var lookAlike = Enumerable.Range(0, p.LookAlikeGroups).Select(_ => Direction(rng, dimension, p.EffectiveDimension)).ToArray();

        // Face slots: person k's faces, then the strangers (persons of one face, labelled -1), then shuffled.
        int people = sizes.Length;
        var owner = new int[count];
        for (int k = 0, at = 0; k < people; k++)
        {
            for (int f = 0; f < sizes[k]; f++)
            {
                owner[at++] = k;
            }
        }

        for (int i = count - strangers; i < count; i++)
        {
            owner[i] = people + (i - (count - strangers));
        }

        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (owner[i], owner[j]) = (owner[j], owner[i]);
        }

        // Each person (stranger included) draws from its own generator, so the vectors do not depend on threads.
        var first = new int[people + strangers];
        Array.Fill(first, -1);
        var next = new int[count];
        for (int i = count - 1; i >= 0; i--)
        {
            next[i] = first[owner[i]];
            first[owner[i]] = i;
        }

        var vectors = new float[count][];
        Parallel.For(0, people + strangers, k =>
        {
            var r = new Random(unchecked((seed * 1_000_003) + k));
            float[] centre = Centre(r, dimension, p, common, lookAlike);
            double personSpread = p.SpreadMedian * Math.Exp(p.PersonSpreadSigma * IdentityBlobs.Gaussian(r));
            for (int i = first[k]; i >= 0; i = next[i])
            {
                double spread = personSpread * Math.Exp(p.FaceSpreadSigma * IdentityBlobs.Gaussian(r));
                double sigma = spread / Math.Sqrt(dimension);
                var v = new float[dimension];
                for (int t = 0; t < dimension; t++)
                {
                    v[t] = (float)(centre[t] + (sigma * IdentityBlobs.Gaussian(r)));
                }

                IdentityBlobs.Normalise(v);
                vectors[i] = v;
            }
        });

        return ([.. vectors], owner.Select(k => k < people ? k : -1).ToArray());
    }

    /// <summary>Sizes of the people (two faces or more) holding <paramref name="faces"/> faces, largest first.</summary>
    private static int[] PeopleSizes(int faces, RealisticProfile p, Random rng)
    {
        var sizes = new List<int>();
        int left = faces;
        int largest = Math.Max(2, (int)Math.Min(p.LargestPersonShare * faces, p.LargestPerson));
        while (left >= 2)
        {
            // A power law from 2 up (a Pareto draw from 1.5, rounded), P(size >= s) about (s / 1.5)^(1 - alpha),
            // truncated at the largest person.
            double u = 1 - rng.NextDouble();
            int size = (int)Math.Min(largest, Math.Floor(0.5 + (1.5 * Math.Pow(u, -1 / (p.SizeExponent - 1)))));
            size = Math.Clamp(size, 2, left);
            sizes.Add(size);
            left -= size;
        }

        sizes.Sort((a, b) => b.CompareTo(a));
        return [.. sizes];
    }

    /// <summary>A person's centre: the common direction, its look-alike group's and its own, mixed by the profile's weights.</summary>
    private static float[] Centre(Random r, int dimension, RealisticProfile p, float[] common, float[][] lookAlike)
    {
        float[] own = Direction(r, dimension, p.EffectiveDimension);
        float[] group = lookAlike[r.Next(lookAlike.Length)];
        double wOwn = Math.Sqrt(Math.Max(0, 1 - p.CommonWeight - p.LookAlikeWeight));
        var c = new float[dimension];
        for (int t = 0; t < dimension; t++)
        {
            c[t] = (float)((Math.Sqrt(p.CommonWeight) * common[t]) + (Math.Sqrt(p.LookAlikeWeight) * group[t]) + (wOwn * own[t]));
        }

        IdentityBlobs.Normalise(c);
        return c;
    }

    /// <summary>
    /// A random unit direction whose coordinate t has variance exp(-t / (effective / 2)): two such directions have a dot
    /// product of standard deviation about 1/sqrt(effective), as if they lay in a space of that many dimensions.
    /// </summary>
    private static float[] Direction(Random r, int dimension, double effective)
    {
        var v = new float[dimension];
        double tau = Math.Max(0.5, effective / 2);
        for (int t = 0; t < dimension; t++)
        {
            v[t] = (float)(Math.Exp(-t / (2 * tau)) * IdentityBlobs.Gaussian(r));
        }

        IdentityBlobs.Normalise(v);
        return v;
    }
}
