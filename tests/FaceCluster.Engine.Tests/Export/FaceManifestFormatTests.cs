using System.Text.Json;
using System.Text.Json.Serialization;
using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>
/// faces.json is read by scripts and by older versions of the module: however it is written (to bytes, streamed to a
/// file, by an export), its bytes stay those the reflection-based serializer wrote with the options faces.json always
/// had, and reading them back gives the same manifest.
/// </summary>
public sealed class FaceManifestFormatTests : TempDirectoryTest
{
    /// <summary>The options faces.json was written with before it was streamed (a copy kept here on purpose: the test
    /// holds the format still should the engine's options change).</summary>
    private static readonly JsonSerializerOptions FormatOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Characters JSON escapes (quote, backslash, controls, HTML-sensitive), accented letters, CJK and a pair
    /// of surrogates.</summary>
    private const string Awkward = "Jos\u00e9 \"Pepe\" \\ <b>&'\t\n\u0001 \u540d\u524d \U0001F600";

    private static FaceManifest Varied(int faces)
    {
        var stamp = new FileStamp(123_456, new DateTime(2026, 12, 8, 1, 2, 3, DateTimeKind.Utc).AddTicks(4567)) { Sha256 = new string('a', 64) };
        var clusters = new[]
        {
            new FaceManifestCluster
            {
                Id = 0, Name = Awkward, Label = "Jos\u00e9 Pepe", Folder = "Jos\u00e9 Pepe", FaceCount = faces / 2, PhotoCount = faces / 2 - 1,
                MergedIds = [3, 7], SplitFromId = 2, RepresentativePath = $"/photos/{Awkward}/0.jpg", RepresentativeFaceIndex = 0,
                RepresentativeFile = "Jos\u00e9 Pepe/representative.jpg", RepresentativeStamp = stamp,
            },
            new FaceManifestCluster
            {
                Id = 1, Label = "cluster_1", Folder = "cluster_1", FaceCount = 1, PhotoCount = 1, MergedIds = [],
                RepresentativePath = "/photos/1.jpg", RepresentativeFaceIndex = 2, RepresentativeFile = "cluster_1/representative.jpg",
                RepresentativeStamp = stamp with { Sha256 = null },
            },
            new FaceManifestCluster { Id = -1, Label = FaceGroup.DoubtfulLabel, Folder = FaceGroup.DoubtfulLabel, FaceCount = 0, PhotoCount = 0 },
        };
        var roles = Enum.GetValues<FaceRole>();
        var gates = Enum.GetValues<FaceGateReason>();
        var face = Enumerable.Range(0, faces).Select(i => new FaceManifestFace
        {
            Path = $"/photos/{Awkward} {i % 17}/f\u00eate {i}.jpg", FaceIndex = i % 3,
            Box = new FaceManifestBox(i / 3f, 1e-7f * i, float.MaxValue / (i + 1), 0.1f),
            Landmarks = [new(i * 0.7f, -1.25f), new(float.Epsilon, 1f / 3)],
            Confidence = 1f / (i + 2), ClusterId = i % 3 - 1, ClusterLabel = clusters[(i % 3 + 2) % 3].Label, Role = roles[i % roles.Length],
            NearestClusterId = i % 3 == 0 ? i % 2 : null, NearestClusterDistance = i % 3 == 0 ? Math.PI / (i + 1) : null,
            Gate = i % 5 == 0 ? gates[i % gates.Length] : null, Model = i % 2 == 0 ? "faceplugin" : Awkward,
            Destination = $"{clusters[(i % 3 + 2) % 3].Folder}/f\u00eate {i}.jpg",
            Stamp = (i % 4) switch { 0 => null, 1 => stamp, _ => stamp with { Length = i, Sha256 = null } },
        }).ToArray();
        return new FaceManifest
        {
            Mode = ExportMode.HardLink, Clusters = clusters, Faces = face,
            Clustering = new ClusteringSettings
            {
                Model = "faceplugin", Algorithm = ClusteringAlgorithm.AverageLinkage, Metric = DistanceMetric.Cosine, Epsilon = 0.54,
                EpsilonSource = SettingSource.Parameter, GroupThreshold = 0.56, MinSamples = 2, SeparateSamePhoto = false,
                Run = ClusteringRun.Incremental, RunReason = Awkward, PlacedSinceFullRun = 10_000, NeighbourSearch = NeighbourSearch.Approximate,
            },
            FailedPhotos = [new FaceManifestFailedPhoto { Path = $"/photos/{Awkward}.jpg", ErrorId = "ImageTruncated", Message = Awkward }],
        };
    }

    private static IReadOnlyList<FaceManifestOwnedFile> Earlier() =>
    [
        new() { Destination = "old/a.jpg", Source = $"/photos/{Awkward}.jpg", ClusterId = 4, Complete = true, Stamp = new FileStamp(1, DateTime.UnixEpoch) },
        new() { Destination = "old/representative.jpg", FaceIndex = 1, Representative = true, ClusterId = -1, Complete = false },
    ];

    public static TheoryData<int> Sizes => new() { 3, 2_000 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_way_of_writing_gives_the_bytes_faces_json_always_had_and_reads_back(int faces)
    {
        foreach (var manifest in new[] { Varied(faces), Varied(faces).AsIncomplete(Earlier()) })
        {
            var expected = JsonSerializer.SerializeToUtf8Bytes(manifest, FormatOptions);
            var streamed = new MemoryStream();
            manifest.WriteTo(streamed);
            var path = Temp.Combine("faces.json");
            manifest.Write(path);

            Assert.Equal(expected, manifest.ToUtf8Bytes());
            Assert.Equal(expected, streamed.ToArray());
            Assert.Equal(expected, File.ReadAllBytes(path));
            using (var stream = new MemoryStream(expected))
                Assert.Equal(expected, FaceManifest.Read(stream).ToUtf8Bytes());
            Assert.Equal(expected, JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize<FaceManifest>(expected, FormatOptions), FormatOptions));
        }
    }

    [Fact]
    public void The_varied_manifest_holds_every_optional_field_and_escaped_text()
    {
        var json = System.Text.Encoding.UTF8.GetString(Varied(20).AsIncomplete(Earlier()).ToUtf8Bytes());

        foreach (var field in new[]
        {
            "\"clustering\":", "\"failedPhotos\":", "\"mergedIds\":[3,7]", "\"splitFromId\":2", "\"representativeStamp\":", "\"sha256\":",
            "\"nearestClusterId\":", "\"nearestClusterDistance\":", "\"gate\":\"lowScore\"", "\"stamp\":", "\"earlier\":", "\"syncing\":true",
            "\"mode\":\"hardLink\"", "\"role\":\"border\"", "\"name\":null", "\"neighbourSearch\":\"approximate\"", "\\u0022Pepe\\u0022", "\\\\",
            "\\u003Cb\\u003E\\u0026\\u0027", "\\t\\n\\u0001", "\\uD83D\\uDE00", "\\u00E9",
        })
        {
            Assert.Contains(field, json, StringComparison.Ordinal);
        }
    }
}
