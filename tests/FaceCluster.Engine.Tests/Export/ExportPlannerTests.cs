using System.Text;
using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

public sealed class ExportPlannerTests
{
    private static readonly string Out = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "fc-plan-out"));
    private static readonly string Src = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "fc-plan-src"));

    private static string S(params string[] parts) => Path.Combine([Src, .. parts]);

    private static string[] Destinations(ExportPlan plan, ExportActionKind kind, string label) =>
        plan.Actions.Where(a => a.Kind == kind && a.GroupLabel == label).Select(a => Path.GetRelativePath(Path.Combine(plan.OutputDirectory, label), a.Destination)).ToArray();

    [Fact]
    public void Plans_folders_by_label_in_given_order_with_representative_and_manifest_last()
    {
        var alice = Face(S("a.jpg"));
        var bob = Face(S("b.jpg"));
        var plan = ExportPlanner.Plan([Cluster(0, alice, Face(S("c.jpg"))), Cluster(1, bob), Doubtful(Face(S("d.jpg")))], Out, ExportMode.Copy);

        Assert.Equal(Out, plan.OutputDirectory);
        var kinds = plan.Actions.Select(a => (a.Kind, a.GroupLabel, Name: Path.GetFileName(a.Destination))).ToArray();
        Assert.Equal(
        [
            (ExportActionKind.CreateDirectory, null, "fc-plan-out"),
            (ExportActionKind.StartManifest, null, "faces.json"),
            (ExportActionKind.CreateDirectory, "cluster_0", "cluster_0"),
            (ExportActionKind.PlacePhotoCopy, "cluster_0", "a.jpg"),
            (ExportActionKind.PlacePhotoCopy, "cluster_0", "c.jpg"),
            (ExportActionKind.WriteRepresentative, "cluster_0", "representative.jpg"),
            (ExportActionKind.CreateDirectory, "cluster_1", "cluster_1"),
            (ExportActionKind.PlacePhotoCopy, "cluster_1", "b.jpg"),
            (ExportActionKind.WriteRepresentative, "cluster_1", "representative.jpg"),
            (ExportActionKind.CreateDirectory, FaceGroup.DoubtfulLabel, FaceGroup.DoubtfulLabel),
            (ExportActionKind.PlacePhotoCopy, FaceGroup.DoubtfulLabel, "d.jpg"),
            (ExportActionKind.WriteManifest, null, "faces.json"),
        ], kinds);
        var representative = plan.Actions.Single(a => a.Kind == ExportActionKind.WriteRepresentative && a.GroupLabel == "cluster_0");
        Assert.Same(alice, representative.Face);
        Assert.Equal(alice.Path, representative.Source);
        Assert.Same(plan.Manifest, plan.Actions[^1].Manifest);
        Assert.True(plan.Manifest.Complete);
        Assert.False(plan.Actions[1].Manifest!.Complete);
        Assert.Equal(plan.Manifest.Fingerprint, plan.Actions[1].Manifest!.Fingerprint);
        Assert.Equal(Path.Combine(Out, "faces.json"), plan.ManifestPath);
        Assert.All(plan.Actions, a => Assert.StartsWith(Out, a.Destination, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_action_has_a_description_and_its_destination_as_target()
    {
        var plan = ExportPlanner.Plan([Cluster(0, Face(S("a.jpg"))), Doubtful(Face(S("d.jpg")))], Out, ExportMode.HardLink);
        Assert.All(plan.Actions, a =>
        {
            Assert.False(string.IsNullOrWhiteSpace(a.Description));
            Assert.Equal(a.Destination, a.Target);
        });
        Assert.Contains(plan.Actions, a => a.Kind == ExportActionKind.PlacePhotoHardLink && a.Description.Contains(S("a.jpg"), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ExportMode.Copy, ExportActionKind.PlacePhotoCopy)]
    [InlineData(ExportMode.HardLink, ExportActionKind.PlacePhotoHardLink)]
    [InlineData(ExportMode.SymbolicLink, ExportActionKind.PlacePhotoSymbolicLink)]
    public void Mode_selects_the_placement_kind(ExportMode mode, ExportActionKind expected)
    {
        var plan = ExportPlanner.Plan([Cluster(0, Face(S("a.jpg")))], Out, mode);
        Assert.Equal(expected, plan.Actions.Single(a => a.Source == S("a.jpg") && a.Kind != ExportActionKind.WriteRepresentative).Kind);
        Assert.Equal(mode, plan.Manifest.Mode);
    }

    [Fact]
    public void A_photo_with_two_faces_of_one_person_is_placed_once_and_a_group_photo_in_each_folder()
    {
        var party = S("party.jpg");
        var plan = ExportPlanner.Plan(
            [Cluster(0, Face(party, 0), Face(party, 2)), Cluster(1, Face(party, 1)), Doubtful(Face(party, 3))], Out, ExportMode.Copy);

        Assert.Equal(["party.jpg"], Destinations(plan, ExportActionKind.PlacePhotoCopy, "cluster_0"));
        Assert.Equal(["party.jpg"], Destinations(plan, ExportActionKind.PlacePhotoCopy, "cluster_1"));
        Assert.Equal(["party.jpg"], Destinations(plan, ExportActionKind.PlacePhotoCopy, FaceGroup.DoubtfulLabel));
        Assert.Equal(4, plan.Manifest.Faces.Count);
        Assert.Equal([0, 1, 2, 3], plan.Manifest.Faces.Select(f => f.FaceIndex));
        Assert.Equal(["cluster_0/party.jpg", "cluster_1/party.jpg", "cluster_0/party.jpg", $"{FaceGroup.DoubtfulLabel}/party.jpg"],
            plan.Manifest.Faces.Select(f => f.Destination));
    }

    [Fact]
    public void Doubtful_group_has_no_representative_and_empty_groups_are_skipped()
    {
        var plan = ExportPlanner.Plan([Cluster(0, Face(S("a.jpg"))), Cluster(1), Doubtful(Face(S("d.jpg")))], Out, ExportMode.Copy);
        Assert.DoesNotContain(plan.Actions, a => a.GroupLabel == "cluster_1");
        Assert.DoesNotContain(plan.Actions, a => a.Kind == ExportActionKind.WriteRepresentative && a.GroupLabel == FaceGroup.DoubtfulLabel);
        var doubtful = plan.Manifest.Clusters.Single(c => c.Id == -1);
        Assert.Null(doubtful.RepresentativeFile);
        Assert.Null(doubtful.RepresentativePath);
        Assert.Equal(["cluster_0", FaceGroup.DoubtfulLabel], plan.Manifest.Clusters.Select(c => c.Folder));
    }

    [Fact]
    public void Same_file_names_from_different_folders_are_disambiguated_by_full_path_order()
    {
        var plan = ExportPlanner.Plan(
            [Cluster(0, Face(S("b", "IMG_0001.jpg")), Face(S("a", "IMG_0001.jpg")), Face(S("c", "img_0001.JPG")), Face(S("a", "other.jpg")))],
            Out, ExportMode.Copy);

        var placed = plan.Actions.Where(a => a.Kind == ExportActionKind.PlacePhotoCopy).ToDictionary(a => a.Source!, a => Path.GetFileName(a.Destination));
        Assert.Equal("IMG_0001.jpg", placed[S("a", "IMG_0001.jpg")]);
        Assert.Equal("IMG_0001 (2).jpg", placed[S("b", "IMG_0001.jpg")]);
        Assert.Equal("img_0001 (3).JPG", placed[S("c", "img_0001.JPG")]); // case-insensitive: Windows and macOS folders
        Assert.Equal("other.jpg", placed[S("a", "other.jpg")]);
    }

    [Fact]
    public void Plan_is_the_same_whatever_the_order_of_members_and_faces()
    {
        FaceEncoding[] faces = [Face(S("z", "x.jpg")), Face(S("a", "x.jpg")), Face(S("m", "x.jpg")), Face(S("m", "x (2).jpg"))];
        var forward = ExportPlanner.Plan([Cluster(0, faces)], Out, ExportMode.Copy);
        var reversed = ExportPlanner.Plan([new FaceGroup
        {
            Id = 0, Label = "cluster_0", Representative = faces[0],
            Members = faces.Reverse().Select(f => new ClusterMember(f, FaceRole.Core)).ToArray(),
        }], Out, ExportMode.Copy);

        Assert.Equal(forward.Actions.Select(a => (a.Kind, a.Source, a.Destination)), reversed.Actions.Select(a => (a.Kind, a.Source, a.Destination)));
        Assert.Equal(forward.Manifest.ToUtf8Bytes(), reversed.Manifest.ToUtf8Bytes());
        Assert.Equal(4, forward.Actions.Count(a => a.Kind == ExportActionKind.PlacePhotoCopy));
        Assert.Equal(4, forward.Actions.Where(a => a.Kind == ExportActionKind.PlacePhotoCopy).Select(a => a.Destination).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_photo_named_representative_jpg_does_not_take_the_representative_name()
    {
        var plan = ExportPlanner.Plan([Cluster(0, Face(S("representative.jpg")))], Out, ExportMode.Copy);
        Assert.Equal(["representative (2).jpg"], Destinations(plan, ExportActionKind.PlacePhotoCopy, "cluster_0"));
        Assert.Equal(["representative.jpg"], Destinations(plan, ExportActionKind.WriteRepresentative, "cluster_0"));
    }

    [Fact]
    public void A_photo_named_like_a_temporary_is_renamed_so_cleanup_never_deletes_it()
    {
        var plan = ExportPlanner.Plan([Cluster(0, Face(S(".fc-tmp-1.jpg")))], Out, ExportMode.Copy);
        Assert.Equal(["_.fc-tmp-1.jpg"], Destinations(plan, ExportActionKind.PlacePhotoCopy, "cluster_0"));
    }

    [Fact]
    public void Manifest_describes_every_face()
    {
        var a = Face(S("a.jpg"), 0, new FaceBox(1, 2, 3, 4));
        var group = new FaceGroup
        {
            Id = 0, Label = "cluster_0", Representative = a,
            Members = [new ClusterMember(a, FaceRole.Core), new ClusterMember(Face(S("b.jpg")), FaceRole.Border)],
        };
        var plan = ExportPlanner.Plan([group, Doubtful(Face(S("c.jpg")))], Out, ExportMode.Copy);

        var first = plan.Manifest.Faces[0];
        Assert.Equal(S("a.jpg"), first.Path);
        Assert.Equal(new FaceManifestBox(1, 2, 3, 4), first.Box);
        Assert.Equal(a.Landmarks, first.Landmarks);
        Assert.Equal(a.Confidence, first.Confidence);
        Assert.Equal((0, "cluster_0", FaceRole.Core, "test-pack", "cluster_0/a.jpg"), (first.ClusterId, first.ClusterLabel, first.Role, first.Model, first.Destination));
        Assert.Equal(FaceRole.Border, plan.Manifest.Faces[1].Role);
        Assert.Equal((-1, FaceRole.Noise), (plan.Manifest.Faces[2].ClusterId, plan.Manifest.Faces[2].Role));
        var cluster = plan.Manifest.Clusters[0];
        Assert.Equal((2, 2, S("a.jpg"), 0, "cluster_0/representative.jpg"),
            (cluster.FaceCount, cluster.PhotoCount, cluster.RepresentativePath, cluster.RepresentativeFaceIndex, cluster.RepresentativeFile));
        Assert.Equal(FaceManifest.CurrentSchemaVersion, plan.Manifest.SchemaVersion);
        Assert.Equal("FaceCluster", plan.Manifest.Tool);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("faces.json")]
    [InlineData("trailing.")]
    [InlineData("index.html")]
    [InlineData("Review")]
    [InlineData("corrections.json")]
    [InlineData("CON")]
    [InlineData("a\u0301")]
    public void Unusable_labels_are_rejected(string label)
    {
        var group = new FaceGroup { Id = 0, Label = label, Members = [new ClusterMember(Face(S("a.jpg")), FaceRole.Core)] };
        Assert.ThrowsAny<ArgumentException>(() => ExportPlanner.Plan([group], Out, ExportMode.Copy));
    }

    [Fact]
    public void Duplicate_labels_are_rejected()
    {
        var group = Cluster(0, Face(S("a.jpg")));
        Assert.Throws<ArgumentException>(() => ExportPlanner.Plan([group, group], Out, ExportMode.Copy));
    }

    [Fact]
    public void Planning_writes_nothing()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out");
        ExportPlanner.Plan([Cluster(0, Face(S("a.jpg")))], output, ExportMode.Copy);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void The_manifest_records_the_clustering_settings_only_when_every_group_carries_the_same()
    {
        FaceGroup[] groups = ClusteredWith(LinkageSettings, Cluster(0, Face(S("a.jpg"))), Doubtful(Face(S("d.jpg"))));
        Assert.Equal(LinkageSettings, ExportPlanner.Plan(groups, Out, ExportMode.Copy).Manifest.Clustering);

        FaceGroup other = ClusteredWith(LinkageSettings with { Epsilon = 0.3 }, Cluster(1, Face(S("b.jpg"))))[0];
        Assert.Null(ExportPlanner.Plan([.. groups, other], Out, ExportMode.Copy).Manifest.Clustering);
        Assert.Null(ExportPlanner.Plan([Cluster(0, Face(S("a.jpg")))], Out, ExportMode.Copy).Manifest.Clustering);
    }

    [Fact]
    public void The_manifest_lists_each_failed_photo_once_by_path_and_error_id_and_none_when_not_told()
    {
        FaceManifestFailedPhoto Failed(string name, string id) => new() { Path = S(name), ErrorId = id, Message = id + " message" };
        var plan = ExportPlanner.Plan([Cluster(0, Face(S("a.jpg")))], Out, ExportMode.Copy,
            [Failed("z.jpg", "ImageTruncated"), Failed("b.mov", "ImageNotAnImage"), Failed("z.jpg", "ImageTruncated"), Failed("z.jpg", "FaceEncodingFailed")]);

        Assert.Equal([(S("b.mov"), "ImageNotAnImage"), (S("z.jpg"), "FaceEncodingFailed"), (S("z.jpg"), "ImageTruncated")],
            plan.Manifest.FailedPhotos!.Select(f => (f.Path, f.ErrorId)));
        Assert.Empty(ExportPlanner.Plan([Cluster(0, Face(S("a.jpg")))], Out, ExportMode.Copy, []).Manifest.FailedPhotos!);
        Assert.Null(ExportPlanner.Plan([Cluster(0, Face(S("a.jpg")))], Out, ExportMode.Copy).Manifest.FailedPhotos);
        Assert.Equal(ExportPlanner.Plan([Cluster(0, Face(S("a.jpg")))], Out, ExportMode.Copy).Manifest.Fingerprint, plan.Manifest.Fingerprint);
    }

    [Fact]
    public void A_label_over_255_bytes_is_rejected()
    {
        var group = new FaceGroup { Id = 0, Label = new string('漢', 86), Members = [new ClusterMember(Face(S("a.jpg")), FaceRole.Core)] };
        Assert.ThrowsAny<ArgumentException>(() => ExportPlanner.Plan([group], Out, ExportMode.Copy));
    }

    [Theory]
    [InlineData("a:b?.jpg", "a_b_.jpg")]
    [InlineData("x<y>z|\"*.jpg", "x_y_z___.jpg")]
    [InlineData("tab\there.jpg", "tab_here.jpg")]
    [InlineData("CON.jpg", "CON_.jpg")]
    [InlineData("com1.tar.gz", "com1_.tar.gz")]
    [InlineData("Lpt¹.jpg", "Lpt¹_.jpg")]
    [InlineData("photo.jpg. .", "photo.jpg")]
    [InlineData("cafe\u0301.jpg", "café.jpg")]
    [InlineData("...", "_")]
    public void A_photo_name_is_made_valid_on_every_file_system(string name, string exported)
    {
        var plan = ExportPlanner.Plan([Cluster(0, Face(S("a", name)))], Out, ExportMode.Copy);
        Assert.Equal([exported], Destinations(plan, ExportActionKind.PlacePhotoCopy, "cluster_0"));
    }

    [Fact]
    public void Photo_names_that_differ_only_in_case_or_normalisation_get_a_number()
    {
        var plan = ExportPlanner.Plan([Cluster(0, Face(S("a", "café.jpg")), Face(S("b", "cafe\u0301.jpg")), Face(S("c", "CAFÉ.jpg")))], Out, ExportMode.Copy);
        Assert.Equal(["café.jpg", "café (2).jpg", "CAFÉ (3).jpg"], Destinations(plan, ExportActionKind.PlacePhotoCopy, "cluster_0"));
    }

    public static TheoryData<string> LongPhotoNames => new()
    {
        new string('a', 251) + ".jpg",
        new string('a', 250) + ".jpg",
        new string('漢', 83) + ".jpg",
        new string('漢', 100) + ".jpg", // fine on NTFS (255 UTF-16 units), 304 bytes in UTF-8
        string.Concat(Enumerable.Repeat("😀", 62)) + ".jpg",
        string.Concat(Enumerable.Repeat("x\u0301", 84)) + ".jpg",
        string.Concat(Enumerable.Repeat("👨‍👩‍👧‍👦", 10)) + ".jpg",
        new string('a', 240) + "." + new string('b', 40),
    };

    [Theory]
    [MemberData(nameof(LongPhotoNames))]
    public void A_long_photo_name_with_its_number_fits_255_bytes_and_255_units_and_keeps_its_extension(string name)
    {
        var plan = ExportPlanner.Plan([Cluster(0, Face(S("a", name)), Face(S("b", name)), Face(S("c", name)))], Out, ExportMode.Copy);
        var names = Destinations(plan, ExportActionKind.PlacePhotoCopy, "cluster_0");

        Assert.Equal(3, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, n => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(n), 1, 255));
        Assert.All(names, n => Assert.InRange(n.Length, 1, 255));
        Assert.Equal(Path.GetExtension(name), Path.GetExtension(names[0]));
        Assert.EndsWith(" (2)" + Path.GetExtension(names[0]), names[1], StringComparison.Ordinal);
        Assert.EndsWith(" (3)" + Path.GetExtension(names[0]), names[2], StringComparison.Ordinal);
        string stem = Path.GetFileNameWithoutExtension(name.Normalize(NormalizationForm.FormC));
        Assert.True(TextElements.IsWholePrefix(Path.GetFileNameWithoutExtension(names[0]), stem), names[0]);
        Assert.True(TextElements.IsWholePrefix(Path.GetFileNameWithoutExtension(names[1])[..^4], stem), names[1]);
    }
}
