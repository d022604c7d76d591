using FaceCluster.Model;

/// <summary>
/// Reads the encodings cache that bench/LibraryBenchmark.cs writes (artifacts/cache/PACK-DATASET.faces), for the
/// bench projects that link this file. The file-based benches (LibraryBenchmark.cs, FaceGateBench.cs) cannot link
/// a file and keep their own reader of the same format.
/// </summary>
internal static class FacesCacheFile
{
    public static List<FaceEncoding> Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var faces = new List<FaceEncoding>(reader.ReadInt32());
        for (int i = faces.Capacity; i > 0; i--)
        {
            string photo = reader.ReadString();
            int index = reader.ReadInt32();
            reader.ReadBoolean(); // formerly "central"
            string model = reader.ReadString();
            float confidence = reader.ReadSingle();
            int width = reader.ReadInt32(), height = reader.ReadInt32();
            var box = new FaceBox(reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle());
            var vector = new float[reader.ReadInt32()];
            for (int k = 0; k < vector.Length; k++)
            {
                vector[k] = reader.ReadSingle();
            }

            faces.Add(new FaceEncoding
            {
                Path = photo, FaceIndex = index, Box = box, Landmarks = [], Confidence = confidence, Vector = vector,
                Model = model, ImageWidth = width, ImageHeight = height,
            });
        }

        return faces;
    }
}
