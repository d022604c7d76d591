using FaceCluster.Engine.Clustering;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.People;

/// <summary>
/// Synthetic people for the tests of people across runs: each person a random unit direction, each face one photo
/// (<c>{root}/p{person}_{n}.jpg</c>) with a unit vector near its person's direction. Seeded.
/// </summary>
internal sealed class PeopleWorld
{
    private const int Dimension = 32;
    private readonly Random _rng;
    private readonly List<float[]> _centres = [];

    public PeopleWorld(int seed, string root)
    {
        _rng = new Random(seed);
        Root = root;
    }

    public string Root { get; }

    /// <summary>Fixed-threshold average linkage, one face per photo per person.</summary>
    public static FaceClusteringOptions Options(PersonHistory? previous = null, double epsilon = 0.5) => new()
    {
        Algorithm = ClusteringAlgorithm.AverageLinkage,
        Epsilon = epsilon,
        Metric = DistanceMetric.Cosine,
        Previous = previous,
    };

    /// <summary>A new person; returns its index.</summary>
    public int AddPerson()
    {
        var centre = new float[Dimension];
        for (int t = 0; t < Dimension; t++)
        {
            centre[t] = (float)Gaussian();
        }

        _centres.Add(Unit(centre));
        return _centres.Count - 1;
    }

    /// <summary>Faces <paramref name="first"/> .. first+count-1 of <paramref name="person"/>.</summary>
    public IEnumerable<FaceEncoding> Faces(int person, int count, int first = 0) =>
        Enumerable.Range(first, count).Select(n => Face(Path.Combine(Root, $"p{person}_{n}.jpg"), Near(_centres[person], 0.25)));

    public static FaceEncoding Face(string path, float[] vector, int index = 0) => new()
    {
        Path = path,
        FaceIndex = index,
        Box = new FaceBox(10, 10, 50, 50),
        Landmarks = [],
        Confidence = 1,
        Vector = vector,
        Model = "test-pack",
        ImageWidth = 100,
        ImageHeight = 100,
    };

    /// <summary>The faces.json an export of <paramref name="groups"/> into <see cref="Root"/>/out would write.</summary>
    public FaceManifest Manifest(IReadOnlyList<FaceGroup> groups) => ExportPlanner.Plan(groups, Path.Combine(Root, "out"), ExportMode.Copy).Manifest;

    /// <summary>Lays out an export of <paramref name="groups"/> (faces.json complete, an empty file per photo) and returns its folder.</summary>
    public string LayOut(IReadOnlyList<FaceGroup> groups)
    {
        string folder = Path.Combine(Root, "out");
        FaceManifest manifest = Manifest(groups);
        Directory.CreateDirectory(folder);
        foreach (FaceManifestFace face in manifest.Faces)
        {
            string file = Path.Combine(folder, face.Destination);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, []);
        }

        manifest.Write(Path.Combine(folder, FaceManifest.FileName));
        return folder;
    }

    /// <summary>Each face's group id.</summary>
    public static Dictionary<string, int> IdOf(IEnumerable<FaceGroup> groups) =>
        groups.SelectMany(g => g.Members.Select(m => (Key: $"{m.Face.Path}#{m.Face.FaceIndex}", g.Id))).ToDictionary(x => x.Key, x => x.Id);

    private float[] Near(float[] centre, double spread)
    {
        double sigma = spread / Math.Sqrt(Dimension);
        return Unit(centre.Select(c => (float)(c + (sigma * Gaussian()))).ToArray());
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _rng.NextDouble())) * Math.Cos(2 * Math.PI * _rng.NextDouble());

    private static float[] Unit(float[] v)
    {
        float norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }
}
