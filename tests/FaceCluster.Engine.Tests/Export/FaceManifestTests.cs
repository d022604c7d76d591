using System.Text.Json;
using FaceCluster.Engine.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

public sealed class FaceManifestTests : TempDirectoryTest
{

    private static FaceManifest Sample()
    {
        var a = Face("/photos/a.jpg", 0, new FaceBox(10.5f, 20, 30, 40));
        var group = new FaceGroup
        {
            Id = 0, Label = "cluster_0", Representative = a,
            Members = [new ClusterMember(a, FaceRole.Core), new ClusterMember(Face("/photos/b.jpg", 1), FaceRole.Border)],
        };
        var doubtful = Doubtful(Face("/photos/c.jpg"));
        doubtful = new FaceGroup
        {
            Id = doubtful.Id, Label = doubtful.Label,
            Members = [doubtful.Members[0] with { NearestClusterId = 0, NearestClusterDistance = 0.625 }],
        };
        return ExportPlanner.Plan([group, doubtful], "/out", ExportMode.SymbolicLink).Manifest;
    }

    [Fact]
    public void Round_trips_through_write_and_read()
    {
        var manifest = Sample();
        var path = Temp.Combine("faces.json");

        manifest.Write(path);
        var read = FaceManifest.Read(path);

        Assert.Equal(manifest.ToUtf8Bytes(), read.ToUtf8Bytes());
        Assert.Equal(File.ReadAllBytes(path), manifest.ToUtf8Bytes());
        Assert.Equal(ExportMode.SymbolicLink, read.Mode);
        Assert.Equal(manifest.Faces[0], read.Faces[0] with { Landmarks = manifest.Faces[0].Landmarks });
        Assert.Equal(manifest.Faces[0].Landmarks, read.Faces[0].Landmarks);
        Assert.Equal(manifest.Clusters, read.Clusters);
        Assert.Equal([("/photos/a.jpg", 0), ("/photos/b.jpg", 0), ("/photos/c.jpg", -1)], read.Faces.Select(f => (f.Path, f.ClusterId)));
        Assert.Equal([(null, null), (null, null), (0, 0.625)], read.Faces.Select(f => (f.NearestClusterId, f.NearestClusterDistance)));
        Assert.Single(Directory.GetFileSystemEntries(Temp.Path)); // no temporary left behind
    }

    [Fact]
    public void Json_is_camel_case_on_one_line_with_enum_names_schema_and_tool_version()
    {
        var json = System.Text.Encoding.UTF8.GetString(Sample().ToUtf8Bytes());
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.StartsWith("{\"schemaVersion\":2,", json, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', json); // not indented: a million faces' faces.json is some 40% smaller
        Assert.True(root.GetProperty("complete").GetBoolean());
        Assert.Equal(ExportFingerprint.Of(Sample()), root.GetProperty("fingerprint").GetString());
        Assert.Equal("FaceCluster", root.GetProperty("tool").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("toolVersion").GetString()));
        Assert.Equal("symbolicLink", root.GetProperty("mode").GetString());
        var face = root.GetProperty("faces")[1];
        Assert.Equal("border", face.GetProperty("role").GetString());
        Assert.Equal("cluster_0/b.jpg", face.GetProperty("destination").GetString());
        Assert.Equal(1, face.GetProperty("faceIndex").GetInt32());
        Assert.Equal(["x", "y", "width", "height"], root.GetProperty("faces")[0].GetProperty("box").EnumerateObject().Select(p => p.Name));
        Assert.Equal(10.5, root.GetProperty("faces")[0].GetProperty("box").GetProperty("x").GetDouble());
        Assert.Equal(5, face.GetProperty("landmarks").GetArrayLength());
        Assert.Equal("noise", root.GetProperty("faces")[2].GetProperty("role").GetString());
        Assert.Equal(0, root.GetProperty("faces")[2].GetProperty("nearestClusterId").GetInt32());
        Assert.Equal(0.625, root.GetProperty("faces")[2].GetProperty("nearestClusterDistance").GetDouble());
        Assert.False(face.TryGetProperty("nearestClusterId", out _)); // clustered faces have no nearest cluster
        Assert.False(face.TryGetProperty("nearestClusterDistance", out _));
        Assert.Equal("cluster_0/representative.jpg", root.GetProperty("clusters")[0].GetProperty("representativeFile").GetString());
    }

    [Theory]
    [InlineData("""{"not":"ours"}""")]
    [InlineData("""{"tool":"Other","mode":"copy","clusters":[],"faces":[]}""")]
    [InlineData("""{"schemaVersion":99,"tool":"FaceCluster","mode":"copy","clusters":[],"faces":[]}""")]
    [InlineData("not json")]
    public void Read_rejects_what_is_not_a_manifest_it_understands(string json)
    {
        var path = Temp.Combine("faces.json");
        File.WriteAllText(path, json);
        Assert.Throws<InvalidDataException>(() => FaceManifest.Read(path));
        Assert.Null(FaceManifest.TryRead(path));
        Assert.Throws<InvalidDataException>(() => FaceManifestHeader.Read(path));
        Assert.Null(FaceManifestHeader.TryRead(path));
    }

    [Fact]
    public void The_header_gives_mode_completeness_and_the_stored_fingerprint()
    {
        var manifest = Sample().AsIncomplete();
        var path = Temp.Combine("faces.json");
        manifest.Write(path);

        var header = FaceManifestHeader.Read(path);

        Assert.Equal((2, ExportMode.SymbolicLink, false, manifest.Fingerprint), (header.SchemaVersion, header.Mode, header.Complete, header.Fingerprint));
        Assert.Equal(Sample().Fingerprint, manifest.Fingerprint);
    }

    [Fact]
    public void A_schema_1_manifest_reads_as_complete_with_its_fingerprint_computed_from_its_content()
    {
        var path = Temp.Combine("faces.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(Sample().ToUtf8Bytes())!.AsObject();
        node["schemaVersion"] = 1;
        node.Remove("complete");
        node.Remove("fingerprint");
        File.WriteAllText(path, node.ToJsonString());

        var header = FaceManifestHeader.Read(path);

        Assert.True(header.Complete);
        Assert.True(FaceManifest.Read(path).Complete);
        Assert.Equal(Sample().Fingerprint, header.Fingerprint);
    }

    [Fact]
    public void TryRead_of_a_missing_file_is_null() => Assert.Null(FaceManifest.TryRead(Temp.Combine("nope.json")));

    private static FaceManifest WithSettingsAndFailures()
    {
        var a = Face("/photos/a.jpg");
        return ExportPlanner.Plan(ClusteredWith(LinkageSettings, Cluster(0, a), Doubtful(Face("/photos/c.jpg"))), "/out", ExportMode.Copy,
            [new FaceManifestFailedPhoto { Path = "/photos/<broken> & 'odd'.jpg", ErrorId = "ImageTruncated", Message = "The JPEG data ends early." }]).Manifest;
    }

    [Fact]
    public void Clustering_settings_and_failed_photos_round_trip_as_camel_case_json()
    {
        var manifest = WithSettingsAndFailures();
        var path = Temp.Combine("faces.json");
        manifest.Write(path);

        var read = FaceManifest.Read(path);
        Assert.Equal(LinkageSettings, read.Clustering);
        Assert.Equal(manifest.FailedPhotos, read.FailedPhotos);
        Assert.Equal(manifest.ToUtf8Bytes(), read.ToUtf8Bytes());
        Assert.Equal(LinkageSettings, read.AsIncomplete().WithStamps(Temp.Path, new HashSet<string>()).Clustering);
        Assert.Equal(manifest.FailedPhotos, read.AsIncomplete().FailedPhotos);

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var clustering = document.RootElement.GetProperty("clustering");
        Assert.Equal(("test-pack", "averageLinkage", "cosine", 0.4, "modelPack", 0.52, JsonValueKind.Null, true),
            (clustering.GetProperty("model").GetString(), clustering.GetProperty("algorithm").GetString(), clustering.GetProperty("metric").GetString(),
             clustering.GetProperty("epsilon").GetDouble(), clustering.GetProperty("epsilonSource").GetString(), clustering.GetProperty("groupThreshold").GetDouble(),
             clustering.GetProperty("minSamples").ValueKind, clustering.GetProperty("separateSamePhoto").GetBoolean()));
        var failed = Assert.Single(document.RootElement.GetProperty("failedPhotos").EnumerateArray());
        Assert.Equal(["path", "errorId", "message"], failed.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ImageTruncated", failed.GetProperty("errorId").GetString());
    }

    [Fact]
    public void A_manifest_written_before_settings_and_failures_were_recorded_still_reads_and_writes_neither()
    {
        var path = Temp.Combine("faces.json");
        var node = System.Text.Json.Nodes.JsonNode.Parse(WithSettingsAndFailures().ToUtf8Bytes())!.AsObject();
        Assert.True(node.Remove("clustering") && node.Remove("failedPhotos"));
        File.WriteAllText(path, node.ToJsonString());

        var read = FaceManifest.Read(path);

        Assert.Null(read.Clustering);
        Assert.Null(read.FailedPhotos);
        Assert.Equal(WithSettingsAndFailures().Fingerprint, FaceManifestHeader.Read(path).Fingerprint);
        using var document = JsonDocument.Parse(read.ToUtf8Bytes());
        Assert.False(document.RootElement.TryGetProperty("clustering", out _));
        Assert.False(document.RootElement.TryGetProperty("failedPhotos", out _));
    }
}
