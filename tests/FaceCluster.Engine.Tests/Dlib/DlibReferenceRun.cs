using System.Text.Json;

namespace FaceCluster.Engine.Tests.Dlib;

/// <summary>reference.json written by tests/reference-harness/record-reference.js.</summary>
internal sealed record DlibReferenceRun(string FaceApiVersion, int ChipSize, double PhotosPerSecond, IReadOnlyList<DlibReferenceFace> Faces)
{
    public static DlibReferenceRun Load(string directory)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "reference.json")));
        JsonElement root = document.RootElement;
        var faces = new List<DlibReferenceFace>();
        foreach (JsonElement photo in root.GetProperty("photos").EnumerateArray())
        {
            string file = photo.GetProperty("file").GetString()!;
            int index = 0;
            foreach (JsonElement face in photo.GetProperty("faces").EnumerateArray())
            {
                JsonElement box = face.GetProperty("box");
                faces.Add(new DlibReferenceFace(
                    file,
                    index++,
                    [box.GetProperty("x").GetSingle(), box.GetProperty("y").GetSingle(), box.GetProperty("width").GetSingle(), box.GetProperty("height").GetSingle()],
                    face.GetProperty("landmarks").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray(),
                    Path.Combine(directory, face.GetProperty("chipFile").GetString()!),
                    face.GetProperty("descriptor").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()));
            }
        }

        return new DlibReferenceRun(
            root.GetProperty("faceApiVersion").GetString()!,
            root.GetProperty("chipSize").GetInt32(),
            root.GetProperty("photosPerSecond").GetDouble(),
            faces);
    }
}
