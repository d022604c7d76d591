using System.Text.Json.Nodes;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.People;

/// <summary>
/// A faces.json edited by hand or damaged, every field of the file, of a cluster and of a face in turn removed, null, of the wrong
/// type or out of range: reading it, and what the people's cmdlets do with it (Invoke-FaceCluster -Previous, the
/// correction cmdlets), either works or is an <see cref="InvalidDataException"/> (their stable error ids), never
/// another exception.
/// </summary>
public class DamagedManifestTests
{
    private static readonly string[] Mutations = ["remove", "null", "text", "number", "negative", "object", "outside"];

    public static TheoryData<string, string, string> Cases()
    {
        JsonObject manifest = Sound("/photos");
        var cases = new TheoryData<string, string, string>();
        foreach (string property in manifest.Select(p => p.Key))
        {
            foreach (string mutation in Mutations)
            {
                cases.Add("", property, mutation);
            }
        }

        foreach (string list in new[] { "clusters", "faces" })
        {
            cases.Add(list, "", "null");
            foreach (string property in manifest[list]![0]!.AsObject().Select(p => p.Key))
            {
                foreach (string mutation in Mutations)
                {
                    cases.Add(list, property, mutation);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_damaged_field_is_read_or_refused_as_invalid_data_never_a_crash(string list, string property, string mutation)
    {
        using var temp = new TempDirectory();
        JsonObject manifest = Sound(temp.FullPath);
        if (property.Length == 0)
        {
            manifest[list]!.AsArray()[0] = null;
        }
        else
        {
            JsonObject entry = list.Length == 0 ? manifest : manifest[list]!.AsArray()[0]!.AsObject();
            if (mutation == "remove")
            {
                entry.Remove(property);
            }
            else
            {
                entry[property] = mutation switch
                {
                    "null" => null,
                    "text" => "x",
                    "number" => 5,
                    "negative" => -5,
                    "object" => new JsonObject(),
                    _ => "../../outside",
                };
            }
        }

        string folder = temp.FullPath;
        File.WriteAllText(Path.Combine(folder, FaceManifest.FileName), manifest.ToJsonString());
        void Use()
        {
            PreviousExport previous = PreviousExport.Load(folder);
            _ = previous.History([]);
            using CorrectionBook book = CorrectionBook.Open(folder, TimeSpan.Zero);
            _ = book.People;
        }

        Exception? failure = Record.Exception(Use);
        Assert.True(failure is null or InvalidDataException, $"{list}[0].{property} {mutation}: {failure}");
        if (failure is not null)
        {
            Assert.Contains(FaceManifest.FileName, failure.Message);
        }
    }

    [Fact]
    public void A_destination_outside_the_export_is_refused()
    {
        using var temp = new TempDirectory();
        JsonObject manifest = Sound(temp.FullPath);
        manifest["faces"]![0]!["destination"] = "cluster_0/../../../etc/passwd";
        string path = Path.Combine(temp.FullPath, FaceManifest.FileName);
        File.WriteAllText(path, manifest.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => FaceManifest.Read(path));
        Assert.Contains("\"faces\" entry 0", e.Message);
        Assert.Contains("export again", e.Message);
    }

    /// <summary>The faces.json of one person with two photos and one doubtful face, as JSON.</summary>
    private static JsonObject Sound(string root)
    {
        FaceGroup[] groups =
        [
            Cluster(0, Face(Path.Combine(root, "a.jpg")), Face(Path.Combine(root, "b.jpg"))),
            Doubtful(Face(Path.Combine(root, "c.jpg"))),
        ];
        return JsonNode.Parse(ExportPlanner.Plan(groups, Path.Combine(root, "out"), ExportMode.Copy).Manifest.ToUtf8Bytes())!.AsObject();
    }
}
