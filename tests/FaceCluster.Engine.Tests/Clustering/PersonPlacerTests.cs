using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

public class PersonPlacerTests
{
    /// <summary>Random people of 1 to 6 faces and faces to place; the placer's answer against every average distance in
    /// double (1,100 faces: more than two of the placer's blocks of faces).</summary>
    [Theory]
    [InlineData(DistanceMetric.Cosine, 0.07, 0.09)]
    [InlineData(DistanceMetric.Euclidean, 1.3, 1.45)]
    [InlineData(DistanceMetric.Cosine, 0.08, null)]
    [InlineData(DistanceMetric.Cosine, 0.07, 0.09, 1100)]
    [InlineData(DistanceMetric.Euclidean, 1.3, 1.45, 1100)]
    public void Places_each_face_as_the_exact_average_distances_say(DistanceMetric metric, double pairThreshold, double? groupThreshold, int count = 300)
    {
        var rng = new Random(7);
        const int dim = 8;
        float[] Random(float[]? near = null) => Enumerable.Range(0, dim).Select(k => (near?[k] ?? 0) + (float)(rng.NextDouble() - 0.5) * (near is null ? 4 : 1.2f)).ToArray();
        var vectors = new List<float[]>();
        var personOf = new List<int>();
        var centres = Enumerable.Range(0, 40).Select(_ => Random()).ToArray();
        for (int p = 0; p < centres.Length; p++)
        {
            int size = 1 + rng.Next(6);
            for (int k = 0; k < size; k++)
            {
                vectors.Add(Random(centres[p]));
                personOf.Add(3 * p);
            }
        }

        var faces = new List<int>();
        for (int k = 0; k < count; k++)
        {
            faces.Add(vectors.Count);
            vectors.Add(Random(centres[rng.Next(centres.Length)]));
            personOf.Add(-1);
        }

        var excluded = faces.Select(i => i % 5 == 0 ? (IReadOnlyCollection<int>)[3 * (i % 40)] : null).ToArray();
        PersonPlacer.Placement[] placed = PersonPlacer.Place(vectors, personOf, faces, pairThreshold, groupThreshold, metric, excluded, 2);

        double Distance(float[] a, float[] b)
        {
            double dot = 0, na = 0, nb = 0, sq = 0;
            for (int k = 0; k < dim; k++)
            {
                dot += (double)a[k] * b[k];
                na += (double)a[k] * a[k];
                nb += (double)b[k] * b[k];
                sq += ((double)a[k] - b[k]) * ((double)a[k] - b[k]);
            }

            return metric == DistanceMetric.Cosine ? 1 - (dot / Math.Sqrt(na * nb)) : Math.Sqrt(sq);
        }

        int joinedSome = 0;
        for (int f = 0; f < faces.Count; f++)
        {
            float[] x = vectors[faces[f]];
            var averages = personOf.Select((p, i) => (p, i)).Where(t => t.p >= 0 && excluded[f]?.Contains(t.p) != true).GroupBy(t => t.p)
                .Select(g => (Person: g.Key, Size: g.Count(), Average: g.Average(t => Distance(x, vectors[t.i])))).ToArray();
            var expected = averages.Where(g => g.Average <= (g.Size >= 2 ? groupThreshold ?? pairThreshold : pairThreshold))
                .OrderBy(g => g.Average).ThenBy(g => g.Person).Select(g => g.Person).ToArray();
            Assert.Equal(expected, placed[f].Joinable.Select(c => c.Person));
            Assert.NotNull(placed[f].Nearest);
            if (metric == DistanceMetric.Cosine)
            {
                // Cosine: the nearest person is the one at the smallest average distance, whatever the threshold.
                Assert.Equal(averages.MinBy(g => (g.Average, g.Person)).Person, placed[f].Nearest!.Value.Person);
            }

            Assert.True(excluded[f]?.Contains(placed[f].Nearest!.Value.Person) != true);
            joinedSome += expected.Length > 0 ? 1 : 0;
        }

        // The thresholds let some faces join and leave others out.
        Assert.InRange(joinedSome, 30, faces.Count - 30);
    }
}
