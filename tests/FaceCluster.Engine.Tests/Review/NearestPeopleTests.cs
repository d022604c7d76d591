using FaceCluster.Engine.Review;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Review;

public class NearestPeopleTests
{
    private static FaceEncoding With(FaceEncoding face, float[] vector, string model = "test-pack") => new()
    {
        Path = face.Path, FaceIndex = face.FaceIndex, Box = face.Box, Landmarks = face.Landmarks, Confidence = face.Confidence,
        Vector = vector, Model = model, ImageWidth = face.ImageWidth, ImageHeight = face.ImageHeight,
    };

    [Fact]
    public void EachPersonGetsTheMostAlikeOtherPersonOfItsPack()
    {
        var groups = new[]
        {
            Cluster(0, With(Face("/a.jpg"), [1f, 0f, 0f])),
            Cluster(1, With(Face("/b.jpg"), [0.9f, 0.1f, 0f])),
            Cluster(2, With(Face("/c.jpg"), [0.5f, 0.5f, 0.7f])),
            Cluster(3, With(Face("/d.jpg"), [1f, 0f, 0f], model: "other")),
            Doubtful(With(Face("/e.jpg"), [1f, 0f, 0f])),
        };
        var nearest = NearestPeople.Find(groups);
        Assert.Equal(0, nearest[1]);
        Assert.Equal(1, nearest[0]);
        Assert.Equal(1, nearest[2]);
        Assert.False(nearest.ContainsKey(3));
        Assert.False(nearest.ContainsKey(-1));
    }

    [Fact]
    public void The_most_alike_person_holds_the_nearest_face_not_the_nearest_representative()
    {
        // Person 2's representative is nearer 1's than 0's, but its other face lies next to a face of person 0.
        var groups = new[]
        {
            Cluster(0, With(Face("/a1.jpg"), [1f, 0f, 0f]), With(Face("/a2.jpg"), [0.6f, 0.8f, 0f])),
            Cluster(1, With(Face("/b.jpg"), [0.6f, 0f, 0.8f])),
            Cluster(2, With(Face("/p1.jpg"), [0.8f, 0f, 0.6f]), With(Face("/p2.jpg"), [0.55f, 0.83f, 0f])),
        };
        var nearest = NearestPeople.Find(groups);
        Assert.Equal(0, nearest[2]);
        Assert.Equal(2, nearest[0]);
        Assert.Equal(2, nearest[1]);
    }

    [Fact]
    public void The_screened_candidates_give_the_answers_of_every_pair_in_double()
    {
        // 300 people of 1 to 30 faces (none sampled): the float screen with exact re-scoring must pick the same
        // candidates, and so the same most alike person, as ranking every pair of means in double.
        var rng = new Random(7);
        var groups = new List<FaceGroup>();
        for (int id = 0; id < 300; id++)
        {
            float[] centre = Enumerable.Range(0, 64).Select(_ => (float)Gaussian(rng)).ToArray();
            groups.Add(Cluster(id, Enumerable.Range(0, 1 + rng.Next(30))
                .Select(f => With(Face(FormattableString.Invariant($"/p{id}-{f}.jpg")), centre.Select(c => c + (float)(0.8 * Gaussian(rng))).ToArray()))
                .ToArray()));
        }

        IReadOnlyDictionary<int, int> expected = EveryPairInDouble(groups);
        IReadOnlyDictionary<int, int> found = NearestPeople.Find(groups);
        Assert.Equal(300, found.Count);
        Assert.All(expected, e => Assert.Equal(e.Value, found[e.Key]));
    }

    [Fact]
    public void Of_a_person_with_more_faces_than_FacesCompared_every_kth_face_is_compared()
    {
        // Person 0: 2 x FacesCompared + 1 faces (every 3rd compared, k = 3), all at (1, 0, 0) but face 1 (not
        // compared), next to person 2. Person 1 lies a little nearer to the compared faces than person 2 does.
        int count = (2 * NearestPeople.FacesCompared) + 1;
        var big = Enumerable.Range(0, count)
            .Select(i => With(Face(FormattableString.Invariant($"/a{i:D4}.jpg")), i == 1 ? [0f, 1f, 0f] : [1f, 0f, 0f])).ToArray();
        var groups = new[]
        {
            Cluster(0, big),
            Cluster(1, With(Face("/b.jpg"), [0.7f, 0.2f, 0.7f])),
            Cluster(2, With(Face("/c.jpg"), [0.05f, 1f, 0f])),
        };
        var nearest = NearestPeople.Find(groups);
        Assert.Equal(1, nearest[0]);
        Assert.Equal(0, nearest[1]);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    // The rule of NearestPeople written out directly: the 8 nearest means in double (ties: lower index), then the
    // pair of nearest faces in double (ties: the lower person).
    private static IReadOnlyDictionary<int, int> EveryPairInDouble(IReadOnlyList<FaceGroup> people)
    {
        static double Cosine(float[] a, float[] b) =>
            1 - (a.Zip(b).Sum(p => (double)p.First * p.Second) / Math.Sqrt(a.Sum(v => (double)v * v)) / Math.Sqrt(b.Sum(v => (double)v * v)));
        float[][] means = people.Select(p =>
        {
            var sum = new double[p.Members[0].Face.Vector.Length];
            foreach (float[] v in p.Faces.Select(f => f.Vector))
            {
                double norm = Math.Sqrt(v.Sum(x => (double)x * x));
                for (int t = 0; t < v.Length; t++)
                {
                    sum[t] += v[t] / norm;
                }
            }

            return sum.Select(s => (float)(s / p.FaceCount)).ToArray();
        }).ToArray();
        var result = new Dictionary<int, int>();
        for (int k = 0; k < people.Count; k++)
        {
            int[] near = Enumerable.Range(0, people.Count).Where(q => q != k)
                .OrderBy(q => Cosine(means[k], means[q])).ThenBy(q => q).Take(NearestPeople.Candidates).ToArray();
            result[people[k].Id] = near
                .Select(q => (Q: q, D: people[k].Faces.Min(a => people[q].Faces.Min(b => Cosine(a.Vector, b.Vector)))))
                .OrderBy(t => t.D).ThenBy(t => t.Q).Select(t => people[t.Q].Id).First();
        }

        return result;
    }
}
