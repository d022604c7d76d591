using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Engine.Tests.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.People;

/// <summary>Nightly runs with -Previous that keep the earlier people and place only the new faces (<see cref="IncrementalRule"/>).</summary>
public class IncrementalRunTests
{
    private static PersonHistory History(FaceManifest manifest, PersonCorrections? corrections = null) =>
        PersonHistory.Resolve(manifest, corrections ?? PersonCorrections.Empty, []);

    /// <summary>Four people of 15 faces, clustered; returns the world, its people, the faces and the first run's groups.</summary>
    private static (PeopleWorld World, int[] People, List<FaceEncoding> Faces, IReadOnlyList<FaceGroup> Before) Library(string root, int seed)
    {
        var world = new PeopleWorld(seed, root);
        int[] people = Enumerable.Range(0, 4).Select(_ => world.AddPerson()).ToArray();
        var faces = people.SelectMany(p => world.Faces(p, 15)).ToList();
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(faces, PeopleWorld.Options());
        Assert.Equal(4, before.Count(g => !g.IsDoubtful));
        return (world, people, faces, before);
    }

    [Fact]
    public void New_faces_join_their_people_or_form_new_ones_and_earlier_faces_keep_their_person()
    {
        using var temp = new TempDirectory();
        (PeopleWorld world, int[] people, List<FaceEncoding> faces, IReadOnlyList<FaceGroup> before) = Library(temp.FullPath, 11);
        int stranger = world.AddPerson(), loner = world.AddPerson();
        var added = world.Faces(people[2], 1, first: 100).Concat(world.Faces(stranger, 3)).Concat(world.Faces(loner, 1)).ToList();
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster(faces.Concat(added).Reverse().ToList(), PeopleWorld.Options(History(world.Manifest(before))));

        Assert.Equal(ClusteringRun.Incremental, clusterer.Run);
        Assert.All(after, g => Assert.Equal(ClusteringRun.Incremental, g.Clustering!.Run));
        Assert.All(after, g => Assert.Equal(5, g.Clustering!.PlacedSinceFullRun));
        Assert.Equal((5, 1), clusterer.NewFaces);
        Dictionary<string, int> was = PeopleWorld.IdOf(before), now = PeopleWorld.IdOf(after);
        Assert.All(was, face => Assert.Equal(face.Value, now[face.Key]));
        Assert.Equal(was[$"{faces.First(f => f.Path.Contains($"p{people[2]}_")).Path}#0"], now[$"{added[0].Path}#0"]);
        FaceGroup fresh = after.Single(g => g.Members.Any(m => m.Face == added[1]));
        Assert.Equal(4, fresh.Id);
        Assert.Equal(3, fresh.FaceCount);
        Assert.Contains(after.Single(g => g.IsDoubtful).Members, m => m.Face == added[4]);
        Assert.Equal(5, clusterer.NextPersonId);

        // Here a full clustering finds the same people.
        var full = new FaceClusterer();
        IReadOnlyList<FaceGroup> again = full.Cluster(faces.Concat(added).ToList(), PeopleWorld.Options(History(world.Manifest(before))).With(recluster: true));
        Assert.Equal(ClusteringRun.Full, full.Run);
        Assert.Equal(now.OrderBy(f => f.Key, StringComparer.Ordinal), PeopleWorld.IdOf(again).OrderBy(f => f.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void A_realistic_night_places_every_face_alike_on_one_thread_and_two()
    {
        // 4,000 realistic faces clustered in full (the earlier export), then a night of 200 more: people of thousands
        // of faces and of two, strangers; the placer's blocks, the medoids of grown people and the matching of people.
        using var temp = new TempDirectory();
        (List<float[]> vectors, _) = RealisticFaces.Generate(4200, seed: 17);
        var faces = vectors.Select((v, i) => new FaceEncoding
        {
            Path = Path.Combine(temp.FullPath, $"IMG_{i:D5}.jpg"), FaceIndex = 0, Box = new FaceBox(0, 0, 10, 10), Landmarks = [],
            Confidence = 0.99f, Vector = v, Model = "m", ImageWidth = 100, ImageHeight = 100,
        }).ToList();
        FaceClusteringOptions Options(PersonHistory? previous, int threads) => new()
        {
            Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = 0.54, Metric = DistanceMetric.Cosine, Previous = previous,
            MaxDegreeOfParallelism = threads,
        };
        IReadOnlyList<FaceGroup> before = new FaceClusterer().Cluster(faces.Take(4000).ToList(), Options(null, 2));
        PersonHistory history = History(ExportPlanner.Plan(before, Path.Combine(temp.FullPath, "out"), ExportMode.Copy).Manifest);

        string Night(int threads)
        {
            var clusterer = new FaceClusterer();
            IReadOnlyList<FaceGroup> night = clusterer.Cluster(faces, Options(history, threads));
            Assert.Equal(ClusteringRun.Incremental, clusterer.Run);
            Assert.InRange(clusterer.NewFaces.JoinedPeople, 50, 190);
            return string.Join("\n", night.Select(g => FormattableString.Invariant(
                $"{g.Id} {g.Label} {g.Representative?.Path} {string.Join(",", g.MergedIds)} {g.SplitFromId}: ")
                + string.Join(";", g.Members.Select(m => FormattableString.Invariant($"{m.Face.Path} {m.Role} {m.NearestClusterId} {m.NearestClusterDistance:R}")))));
        }

        Assert.Equal(Night(1), Night(2));
    }

    [Fact]
    public void A_placed_face_stays_placed_unless_recluster_is_asked_for()
    {
        using var temp = new TempDirectory();
        (PeopleWorld world, _, List<FaceEncoding> faces, IReadOnlyList<FaceGroup> before) = Library(temp.FullPath, 12);
        // An earlier clustering put one of person 0's faces in person 1.
        FaceManifest manifest = world.Manifest(before);
        FaceManifestFace moved = manifest.Faces.First(f => f.ClusterId == 0);
        manifest = manifest.Copy(manifest.Clustering, manifest.Faces.Select(f => f == moved ? f with { ClusterId = 1 } : f).ToArray());
        string key = $"{moved.Path}#{moved.FaceIndex}";

        var kept = new FaceClusterer();
        Assert.Equal(1, PeopleWorld.IdOf(kept.Cluster(faces, PeopleWorld.Options(History(manifest))))[key]);
        Assert.Equal(ClusteringRun.Incremental, kept.Run);

        var full = new FaceClusterer();
        Assert.Equal(0, PeopleWorld.IdOf(full.Cluster(faces, PeopleWorld.Options(History(manifest)).With(recluster: true)))[key]);
        Assert.Equal(ClusteringRun.Full, full.Run);
        Assert.Equal("-Recluster asked for a full clustering", full.RunReason);
    }

    [Fact]
    public void A_face_taken_out_of_its_person_is_placed_elsewhere_or_left_doubtful()
    {
        using var temp = new TempDirectory();
        (PeopleWorld world, _, List<FaceEncoding> faces, IReadOnlyList<FaceGroup> before) = Library(temp.FullPath, 13);
        FaceEncoding face = before[0].Members[4].Face;
        var removal = PersonCorrections.Empty.WithRemoval(new FaceRemovalCorrection(before[0].Id, face.Path, face.FaceIndex));
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster(faces, PeopleWorld.Options(History(world.Manifest(before), removal)));

        Assert.Equal(ClusteringRun.Incremental, clusterer.Run);
        ClusterMember doubtful = Assert.Single(after.Single(g => g.IsDoubtful).Members);
        Assert.Same(face, doubtful.Face);
        Assert.NotNull(doubtful.NearestClusterId);
        Assert.NotEqual(before[0].Id, doubtful.NearestClusterId);
        Assert.Equal(before[0].FaceCount - 1, after.Single(g => g.Id == before[0].Id).FaceCount);
    }

    [Fact]
    public void Two_new_faces_of_one_photo_never_join_one_person()
    {
        using var temp = new TempDirectory();
        (PeopleWorld world, int[] people, List<FaceEncoding> faces, IReadOnlyList<FaceGroup> before) = Library(temp.FullPath, 14);
        string photo = Path.Combine(temp.FullPath, "group.jpg");
        var near = world.Faces(people[1], 2, first: 200).ToArray();
        FaceEncoding[] pair = [PeopleWorld.Face(photo, near[0].Vector, 0), PeopleWorld.Face(photo, near[1].Vector, 1)];
        var clusterer = new FaceClusterer();
        IReadOnlyList<FaceGroup> after = clusterer.Cluster([.. faces, .. pair], PeopleWorld.Options(History(world.Manifest(before))));

        Assert.Equal(ClusteringRun.Incremental, clusterer.Run);
        int person = PeopleWorld.IdOf(before)[$"{faces.First(f => f.Path.Contains($"p{people[1]}_")).Path}#0"];
        Assert.Single(after.Single(g => g.Id == person).Members, m => m.Face.Path == photo);
        Assert.Contains(after.Single(g => g.IsDoubtful).Members, m => m.Face.Path == photo);
    }

    [Fact]
    public void New_faces_since_the_last_full_clustering_add_up_until_a_full_one_is_due()
    {
        using var temp = new TempDirectory();
        (PeopleWorld world, int[] people, List<FaceEncoding> faces, IReadOnlyList<FaceGroup> groups) = Library(temp.FullPath, 15);
        var runs = new List<(ClusteringRun Run, int Since)>();
        for (int night = 0; night < 4; night++)
        {
            faces.AddRange(world.Faces(people[night], 3, first: 300 + (10 * night)));
            var clusterer = new FaceClusterer();
            groups = clusterer.Cluster(faces, PeopleWorld.Options(History(world.Manifest(groups))));
            runs.Add((clusterer.Run, groups[0].Clustering!.PlacedSinceFullRun));
        }

        // 3 of 63, 6 of 66, then 9 of 69 is more than 10%: full (and counting starts again), then 3 of 72.
        Assert.Equal([(ClusteringRun.Incremental, 3), (ClusteringRun.Incremental, 6), (ClusteringRun.Full, 0), (ClusteringRun.Incremental, 3)], runs);
    }

    [Fact]
    public void Changed_settings_dbscan_and_an_export_without_settings_cluster_every_face()
    {
        using var temp = new TempDirectory();
        (PeopleWorld world, _, List<FaceEncoding> faces, IReadOnlyList<FaceGroup> before) = Library(temp.FullPath, 16);
        var clusterer = new FaceClusterer();
        clusterer.Cluster(faces, PeopleWorld.Options(History(world.Manifest(before)), epsilon: 0.45));
        Assert.Equal((ClusteringRun.Full, "the settings changed (threshold 0.5 to 0.45)"), (clusterer.Run, clusterer.RunReason));

        clusterer.Cluster(faces, new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.Dbscan, Epsilon = 0.5, Previous = History(world.Manifest(before)) });
        Assert.Equal((ClusteringRun.Full, "DBSCAN clusters every face each run"), (clusterer.Run, clusterer.RunReason));

        FaceManifest old = world.Manifest(before).Copy(clustering: null);
        clusterer.Cluster(faces, PeopleWorld.Options(History(old)));
        Assert.Equal(ClusteringRun.Full, clusterer.Run);
        Assert.StartsWith("the earlier export records no clustering settings", clusterer.RunReason);
    }

    [Theory]
    [InlineData(0.51, ClusteringRun.Incremental)]
    [InlineData(0.49, ClusteringRun.Incremental)]
    [InlineData(0.52, ClusteringRun.Full)]
    [InlineData(0.48, ClusteringRun.Full)]
    public void A_group_threshold_that_drifts_more_than_a_step_calls_for_a_full_clustering(double tonight, ClusteringRun expected)
    {
        var rule = new LibraryThresholdRule { MaxThreshold = 0.7, FalsePairShare = 0.2, DistanceFrom = 0.3, DistanceStep = 0.01, DifferentPeopleShareAtOrBelow = [0.0, 0.1] };
        var history = new PersonHistory
        {
            PersonOf = new Dictionary<FaceKey, int>(),
            NotPersonOf = new Dictionary<FaceKey, IReadOnlyList<int>>(),
            MergedPeople = new HashSet<int>(),
            Names = new Dictionary<int, string>(),
            NextId = 0,
            Earlier = new ClusteringSettings
            {
                Model = "m", Algorithm = ClusteringAlgorithm.AverageLinkage, Metric = DistanceMetric.Cosine, Epsilon = 0.4,
                EpsilonSource = SettingSource.ModelPack, GroupThreshold = 0.5, SeparateSamePhoto = true,
            },
        };
        var options = new FaceClusteringOptions { Algorithm = ClusteringAlgorithm.AverageLinkage, Epsilon = 0.4, LibraryThreshold = rule, Previous = history };

        Assert.Equal(expected, IncrementalRule.Decide(options, "m", 1000, 10, tonight).Run);
    }
}

internal static class IncrementalRunTestExtensions
{
    public static FaceClusteringOptions With(this FaceClusteringOptions o, bool recluster) => new()
    {
        Algorithm = o.Algorithm, Epsilon = o.Epsilon, Metric = o.Metric, Previous = o.Previous, LibraryThreshold = o.LibraryThreshold,
        SeparateSamePhoto = o.SeparateSamePhoto, Recluster = recluster,
    };

    public static FaceManifest Copy(this FaceManifest m, ClusteringSettings? clustering, IReadOnlyList<FaceManifestFace>? faces = null) => new()
    {
        Mode = m.Mode, Complete = m.Complete, Clustering = clustering, Clusters = m.Clusters, Faces = faces ?? m.Faces,
    };
}
