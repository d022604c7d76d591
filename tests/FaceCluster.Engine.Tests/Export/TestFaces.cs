using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>Builds FaceEncodings and FaceGroups for export tests.</summary>
public static class TestFaces
{
    public static FaceEncoding Face(string path, int index = 0, FaceBox? box = null, int width = 400, int height = 300) => new()
    {
        Path = path,
        FaceIndex = index,
        Box = box ?? new FaceBox(150, 100, 100, 100),
        Landmarks = [new(170, 130), new(230, 130), new(200, 150), new(175, 180), new(225, 180)],
        Confidence = 0.9f + index / 100f,
        Vector = [1f, 0f, 0f],
        Model = "test-pack",
        ImageWidth = width,
        ImageHeight = height,
    };

    public static FaceGroup Cluster(int id, params FaceEncoding[] faces) => new()
    {
        Id = id,
        Label = FaceGroup.ClusterLabel(id),
        Members = Members(faces, FaceRole.Core),
        Representative = faces.Length == 0 ? null : faces[0],
    };

    public static FaceGroup Doubtful(params FaceEncoding[] faces) => new()
    {
        Id = -1,
        Label = FaceGroup.DoubtfulLabel,
        Members = Members(faces, FaceRole.Noise),
    };

    /// <summary>Settings of an average-linkage clustering whose library rule chose the group threshold.</summary>
    public static ClusteringSettings LinkageSettings { get; } = new()
    {
        Model = "test-pack", Algorithm = ClusteringAlgorithm.AverageLinkage, Metric = DistanceMetric.Cosine, Epsilon = 0.4,
        EpsilonSource = SettingSource.ModelPack, GroupThreshold = 0.52, SeparateSamePhoto = true,
    };

    /// <summary>The groups as one clustering with <paramref name="settings"/> made them.</summary>
    public static FaceGroup[] ClusteredWith(ClusteringSettings? settings, params FaceGroup[] groups) => groups.Select(g => new FaceGroup
    {
        Id = g.Id, Name = g.Name, Label = g.Label, MergedIds = g.MergedIds, SplitFromId = g.SplitFromId, Members = g.Members,
        Representative = g.Representative, Clustering = settings,
    }).ToArray();

    private static ClusterMember[] Members(FaceEncoding[] faces, FaceRole role) =>
        faces.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.FaceIndex)
            .Select(f => new ClusterMember(f, role))
            .ToArray();
}
