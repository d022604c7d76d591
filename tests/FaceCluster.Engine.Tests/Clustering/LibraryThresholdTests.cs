using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Clustering;

public class LibraryThresholdTests
{
    /// <summary>
    /// People of two looks each: within a look every face is the same vector; the two looks of a person are at cosine
    /// distance 0.6; different people are orthogonal (distance 1).
    /// </summary>
    internal static List<float[]> PeopleOfTwoLooks(int people, int facesPerLook)
    {
        var faces = new List<float[]>();
        for (int p = 0; p < people; p++)
        {
            for (int look = 0; look < 2; look++)
            {
                for (int k = 0; k < facesPerLook; k++)
                {
                    var v = new float[2 * people];
                    if (look == 0)
                    {
                        v[2 * p] = 1;
                    }
                    else
                    {
                        v[2 * p] = 0.4f;
                        v[(2 * p) + 1] = MathF.Sqrt(1 - (0.4f * 0.4f));
                    }

                    faces.Add(v);
                }
            }
        }

        return faces;
    }

    /// <summary>A rule over 0.50..0.70 in steps of 0.05, with the given measured shares of different-people pairs.</summary>
    internal static LibraryThresholdRule Rule(params double[] shares) => new()
    {
        MaxThreshold = 0.70,
        FalsePairShare = 0.2,
        DistanceFrom = 0.50,
        DistanceStep = 0.05,
        DifferentPeopleShareAtOrBelow = shares,
    };

    [Fact]
    public void A_library_of_few_people_with_many_close_pairs_gets_the_ceiling()
    {
        // 30 faces, 435 pairs: 135 within 0.6 (60 at 0). Expected different-people pairs: 435 x 0.001 = 0.4, far under
        // a fifth of 60: every candidate qualifies, so the largest, the ceiling.
        double t = LibraryThreshold.Choose(PeopleOfTwoLooks(3, 5), DistanceMetric.Cosine, 0.50, Rule(0.001, 0.001, 0.001, 0.001, 0.001), 2);
        Assert.Equal(0.70, t, 9);
    }

    [Fact]
    public void The_threshold_stops_where_too_many_pairs_would_be_of_different_people()
    {
        // From 0.65 the measured share jumps to 0.5: 217 expected different-people pairs against 135 within 0.65.
        double t = LibraryThreshold.Choose(PeopleOfTwoLooks(3, 5), DistanceMetric.Cosine, 0.50, Rule(0.001, 0.001, 0.001, 0.5, 0.5), 2);
        Assert.Equal(0.60, t, 9);
    }

    [Fact]
    public void A_library_of_strangers_keeps_the_pair_threshold()
    {
        // 30 orthogonal faces: no pair within 1, so no candidate has any pair to spare.
        List<float[]> strangers = Enumerable.Range(0, 30).Select(i =>
        {
            var v = new float[30];
            v[i] = 1;
            return v;
        }).ToList();
        Assert.Equal(0.50, LibraryThreshold.Choose(strangers, DistanceMetric.Cosine, 0.50, Rule(0.001, 0.001, 0.001, 0.001, 0.001), 2), 9);
        Assert.Equal(0.55, LibraryThreshold.Choose(strangers, DistanceMetric.Cosine, 0.55, Rule(0.001, 0.001, 0.001, 0.001, 0.001), 2), 9);
    }

    [Fact]
    public void The_measured_share_is_interpolated_between_table_entries()
    {
        LibraryThresholdRule rule = Rule(0.001, 0.003, 0.005, 0.007, 0.009);
        Assert.Equal(0.002, rule.DifferentPeopleShare(0.525), 12);
        Assert.Equal(0.001, rule.DifferentPeopleShare(0.40), 12);
        Assert.Equal(0.009, rule.DifferentPeopleShare(0.90), 12);
    }

    [Fact]
    public void Large_libraries_are_sampled_evenly_and_give_the_same_threshold_every_time()
    {
        // 6,000 faces: every second one is counted. Half of each look is kept, so the close pairs keep their share.
        List<float[]> faces = PeopleOfTwoLooks(30, 100);
        double first = LibraryThreshold.Choose(faces, DistanceMetric.Cosine, 0.50, Rule(0.001, 0.001, 0.001, 0.001, 0.001), 2);
        Assert.Equal(0.70, first, 9);
        Assert.Equal(first, LibraryThreshold.Choose(faces, DistanceMetric.Cosine, 0.50, Rule(0.001, 0.001, 0.001, 0.001, 0.001), 1), 9);
    }
}
