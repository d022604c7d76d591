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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Hints_kept_from_an_earlier_export_and_computed_again_for_what_changed_equal_every_hint_computed_again(int seed)
    {
        // 400 people in 48 dimensions, a few over FacesCompared faces; then five nights, each from the previous
        // night's kept hints (through the file's bytes): faces added and removed, people merged, split, new and gone,
        // new people placed next to existing ones so that they enter unchanged people's candidates.
        var rng = new Random(seed);
        var centres = new Dictionary<int, float[]>();
        var people = new Dictionary<int, List<FaceEncoding>>();
        int faceNumber = 0;
        FaceEncoding NewFace(float[] centre, double spread) =>
            With(Face(FormattableString.Invariant($"/f{faceNumber++}.jpg")), centre.Select(c => c + (float)(spread * Gaussian(rng))).ToArray());
        float[] RandomCentre() => Enumerable.Range(0, 48).Select(_ => (float)Gaussian(rng)).ToArray();
        for (int id = 0; id < 400; id++)
        {
            centres[id] = RandomCentre();
            int size = id < 3 ? NearestPeople.FacesCompared + 1 + rng.Next(300) : 1 + rng.Next(12);
            people[id] = Enumerable.Range(0, size).Select(_ => NewFace(centres[id], 0.7)).ToList();
        }

        FaceGroup[] Groups() => [.. people.OrderBy(p => p.Key).Select(p => Cluster(p.Key, [.. p.Value])), Doubtful(NewFace(RandomCentre(), 0))];

        NearestPeopleState kept = NearestPeople.Find(Groups(), null);
        int nextId = 400, candidatesChanged = 0, hintsChanged = 0;
        for (int night = 0; night < 5; night++)
        {
            int Pick() => people.Keys.Order().ElementAt(rng.Next(people.Count));
            for (int i = 0; i < 6; i++)
            {
                int id = Pick();
                people[id].AddRange(Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => NewFace(centres[id], 0.7)));
            }

            for (int i = 0; i < 4; i++)
            {
                if (people[Pick()] is { Count: > 1 } faces)
                {
                    faces.RemoveAt(rng.Next(faces.Count));
                }
            }

            (int into, int from) = (Pick(), Pick());
            if (into != from)
            {
                people[into].AddRange(people[from]);
                people.Remove(from);
            }

            if (people[Pick()] is { Count: > 3 } whole)
            {
                people[nextId++] = whole.Skip(whole.Count / 2).ToList();
                whole.RemoveRange(whole.Count / 2, whole.Count - (whole.Count / 2));
            }

            for (int i = 0; i < 3; i++)
            {
                int beside = Pick();
                centres[nextId] = centres[beside].Select(c => c + (float)(0.05 * Gaussian(rng))).ToArray();
                people[nextId] = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => NewFace(centres[nextId], 0.3)).ToList();
                nextId++;
            }

            people.Remove(Pick());
            FaceGroup[] groups = Groups();
            NearestPeopleState incremental = NearestPeople.Find(groups, Reloaded(kept));
            NearestPeopleState full = NearestPeople.Find(groups, null);
            Assert.Equal(full.People.Select(Describe), incremental.People.Select(Describe));
            var before = kept.People.ToDictionary(p => p.Id);
            foreach (NearestPersonEntry p in full.People.Where(p => before.TryGetValue(p.Id, out var b) && b.Faces == p.Faces))
            {
                candidatesChanged += before[p.Id].Candidates.SequenceEqual(p.Candidates) ? 0 : 1;
                hintsChanged += before[p.Id].Hint == p.Hint ? 0 : 1;
            }

            kept = incremental;
        }

        // The nights changed unchanged people's candidates and hints, so both paths were taken.
        Assert.True(candidatesChanged > 10, $"{candidatesChanged} unchanged people's candidates changed");
        Assert.True(hintsChanged > 0, $"{hintsChanged} unchanged people's hints changed");
    }

    [Fact]
    public void Hints_of_another_rule_or_a_file_not_the_exports_are_not_used()
    {
        var groups = new[]
        {
            Cluster(0, With(Face("/a.jpg"), [1f, 0f, 0f])),
            Cluster(1, With(Face("/b.jpg"), [0.9f, 0.1f, 0f])),
            Cluster(2, With(Face("/c.jpg"), [0.5f, 0.5f, 0.7f])),
        };
        NearestPeopleState state = NearestPeople.Find(groups, null);
        // Claims person 0's most alike person is person 2, at distance 0, with their faces unchanged: used, the claim is believed.
        var wrong = state with { People = [.. state.People.Select(p => p.Id == 0 ? p with { Hint = 2, HintDistance = 0 } : p)] };
        Assert.Equal(2, NearestPeople.Find(groups, Reloaded(wrong)).Nearest()[0]);
        Assert.Equal(1, NearestPeople.Find(groups, Reloaded(wrong with { Rule = "0" })).Nearest()[0]);
        Assert.Null(Reloaded(state with { People = [.. state.People, state.People[0]] }));
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"format\": \"FaceCluster nearest people\", \"people\": [");
            Assert.Null(NearestPeopleState.Read(path));
            File.WriteAllText(path, "{\"people\": []}");
            Assert.Null(NearestPeopleState.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static NearestPeopleState? Reloaded(NearestPeopleState state)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, state.ToUtf8Bytes());
            return NearestPeopleState.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Describe(NearestPersonEntry p) =>
        FormattableString.Invariant($"{p.Id} {p.Pack} {p.Faces} [{string.Join(',', p.Candidates)}] {p.Last} {p.LastSurrogate:R} {p.Hint} {p.HintDistance:R}");

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
