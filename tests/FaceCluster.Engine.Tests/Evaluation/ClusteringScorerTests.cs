using FaceCluster.Engine.Evaluation;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Evaluation;

public class ClusteringScorerTests
{
    [Fact]
    public void Mixed_case_worked_by_hand()
    {
        // predicted: c0 = {0,1,2}, c1 = {3,4}, item 5 doubtful (a singleton)
        // truth:     A = {0,1,5}, B = {2,3,4}
        // cells: (c0,A)=2 (c0,B)=1 (c1,B)=2 (5,A)=1
        // pairs together in both: C(2,2) + C(2,2) = 2; predicted pairs C(3,2)+C(2,2) = 4; true pairs 3+3 = 6
        // pairwise P = 2/4 = 0.5, R = 2/6 = 1/3, F1 = 2(1/2)(1/3)/(5/6) = 0.4
        // BCubed P = (2*2/3 + 1*1/3 + 2*2/2 + 1*1/1)/6 = (14/3)/6 = 7/9
        // BCubed R = (2*2/3 + 1*1/3 + 2*2/3 + 1*1/3)/6 = (10/3)/6 = 5/9, F1 = 2(7/9)(5/9)/(12/9) = 35/54
        ClusteringScore s = ClusteringScorer.Score([0, 0, 0, 1, 1, -1], ["A", "A", "B", "B", "B", "A"]);
        Assert.Equal(0.5, s.PairwisePrecision, 12);
        Assert.Equal(1.0 / 3, s.PairwiseRecall, 12);
        Assert.Equal(0.4, s.PairwiseF1, 12);
        Assert.Equal(7.0 / 9, s.BCubedPrecision, 12);
        Assert.Equal(5.0 / 9, s.BCubedRecall, 12);
        Assert.Equal(35.0 / 54, s.BCubedF1, 12);
        Assert.Equal((6, 2, 2, 1), (s.ItemCount, s.ClusterCount, s.IdentityCount, s.DoubtfulCount));
        Assert.Equal(1.0 / 6, s.DoubtfulShare, 12);
    }

    [Fact]
    public void Perfect_clustering_scores_one()
    {
        ClusteringScore s = ClusteringScorer.Score([0, 0, 1], ["x", "x", "y"]);
        Assert.Equal([1.0, 1, 1, 1, 1, 1], [s.PairwisePrecision, s.PairwiseRecall, s.PairwiseF1, s.BCubedPrecision, s.BCubedRecall, s.BCubedF1]);
    }

    [Fact]
    public void All_doubtful()
    {
        // No predicted pairs: pairwise P = 1 by convention, R = 0/1 = 0, F1 = 0.
        // BCubed: each item alone, P = 1, R = 1/2 each -> 0.5, F1 = 2(1)(.5)/1.5 = 2/3.
        ClusteringScore s = ClusteringScorer.Score([-1, -1], ["a", "a"]);
        Assert.Equal((1.0, 0.0, 0.0), (s.PairwisePrecision, s.PairwiseRecall, s.PairwiseF1));
        Assert.Equal(1.0, s.BCubedPrecision, 12);
        Assert.Equal(0.5, s.BCubedRecall, 12);
        Assert.Equal(2.0 / 3, s.BCubedF1, 12);
        Assert.Equal((0, 1.0), (s.ClusterCount, s.DoubtfulShare));
    }

    [Fact]
    public void Keyed_overload_scores_items_in_both_maps()
    {
        // "c" has no ground truth, "z" no prediction: scored are a, b (same cluster, same identity).
        var predicted = new Dictionary<string, int> { ["a"] = 3, ["b"] = 3, ["c"] = 4 };
        var truth = new Dictionary<string, string> { ["a"] = "p", ["b"] = "p", ["z"] = "q" };
        ClusteringScore s = ClusteringScorer.Score(predicted, truth);
        Assert.Equal(2, s.ItemCount);
        Assert.Equal(1.0, s.PairwiseF1);
        Assert.Equal(1.0, s.BCubedF1);
    }

    [Fact]
    public void Rejects_mismatched_lengths() =>
        Assert.Throws<ArgumentException>(() => ClusteringScorer.Score([0], ["a", "b"]));

    [Fact]
    public void Faces_are_credited_to_the_person_folder_of_their_photo_and_outsiders_are_not_scored()
    {
        using var root = new TempDirectory();
        string Photo(string person, string name)
        {
            Directory.CreateDirectory(Path.Combine(root.FullPath, person));
            string path = Path.Combine(root.FullPath, person, name);
            File.WriteAllBytes(path, [1]);
            return path;
        }

        string a1 = Photo("Anna", "1.jpg"), a2 = Photo("Anna", "2.jpg"), b1 = Photo("Ben", "1.jpg");
        GroundTruth truth = GroundTruth.FromFolderTree(root.FullPath);
        ScoredFace[] faces =
        [
            new(a1, 0, 0), new(a2, 0, 0), new(b1, 0, 1), new(b1, 1, -1),
            new(Path.Combine(root.FullPath, "elsewhere.jpg"), 0, 1),
        ];

        ClusteringScore s = ClusteringScorer.Score(faces, truth, out int unlabelled, allFaces: true);

        // Scored: Anna {a1, a2} in cluster 0 (one pair, right), Ben's two faces split (cluster 1, doubtful).
        Assert.Equal(1, unlabelled);
        Assert.Equal(1, s.UnscoredFaceCount);
        Assert.Equal((4, 2, 2, 1), (s.ItemCount, s.ClusterCount, s.IdentityCount, s.DoubtfulCount));
        Assert.Equal(1.0, s.PairwisePrecision, 12);
        Assert.Equal(0.5, s.PairwiseRecall, 12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Only_the_largest_face_of_a_photo_is_credited_unless_all_faces_are(bool allFaces)
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(root.FullPath, "Anna"));
        string[] photos = ["1.jpg", "2.jpg", "3.jpg"];
        photos = photos.Select(name => Path.Combine(root.FullPath, "Anna", name)).ToArray();
        foreach (string photo in photos)
        {
            File.WriteAllBytes(photo, [1]);
        }

        GroundTruth truth = GroundTruth.FromFolderTree(root.FullPath);
        // Anna is cluster 0 in all three photos. Photo 1 also shows a small bystander (face 0, left of Anna) who
        // is cluster 1; photo 3 shows two faces of one size, both in cluster 0.
        ScoredFace[] faces =
        [
            new(photos[0], 0, 1, BoxArea: 20 * 20), new(photos[0], 1, 0, BoxArea: 120 * 150),
            new(photos[1], 0, 0, BoxArea: 100 * 100),
            new(photos[2], 0, 0, BoxArea: 50 * 50), new(photos[2], 1, 0, BoxArea: 50 * 50),
        ];

        ClusteringScore s = ClusteringScorer.Score(faces, truth, out int unlabelled, allFaces);

        Assert.Equal(0, unlabelled);
        if (allFaces)
        {
            // The bystander counts as Anna: a false split of her faces.
            Assert.Equal((5, 0, 2), (s.ItemCount, s.UnscoredFaceCount, s.ClusterCount));
            Assert.True(s.PairwiseRecall < 1);
        }
        else
        {
            // Anna's three faces, one per photo, all in cluster 0: a perfect score, the bystander and the second
            // face of photo 3 (a tie, broken by the face index) left out.
            Assert.Equal((3, 2, 1), (s.ItemCount, s.UnscoredFaceCount, s.ClusterCount));
            Assert.Equal((1.0, 1.0), (s.PairwisePrecision, s.PairwiseRecall));
        }
    }

    [Fact]
    public void A_tie_in_box_area_credits_the_lowest_face_index_whatever_the_order()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(root.FullPath, "Anna"));
        string a1 = Path.Combine(root.FullPath, "Anna", "1.jpg"), a2 = Path.Combine(root.FullPath, "Anna", "2.jpg");
        File.WriteAllBytes(a1, [1]);
        File.WriteAllBytes(a2, [1]);
        GroundTruth truth = GroundTruth.FromFolderTree(root.FullPath);
        ScoredFace[] faces = [new(a1, 0, 0, 400), new(a2, 1, 1, 400), new(a2, 0, 0, 400)];

        ClusteringScore s = ClusteringScorer.Score(faces, truth, out _);
        ClusteringScore reversed = ClusteringScorer.Score(faces.Reverse(), truth, out _);

        // a2's face 0 (cluster 0) is credited, not face 1 (cluster 1): Anna in one cluster.
        Assert.Equal((2, 1, 1.0), (s.ItemCount, s.ClusterCount, s.PairwiseRecall));
        Assert.Equal(s, reversed);
    }

    [Fact]
    public void A_face_listed_twice_is_refused()
    {
        using var root = new TempDirectory();
        GroundTruth truth = GroundTruth.FromFolderTree(root.FullPath);
        Assert.Throws<ArgumentException>(() => ClusteringScorer.Score([new ScoredFace("/x.jpg", 0, 0), new ScoredFace("/x.jpg", 0, 1)], truth, out _));
    }
}
