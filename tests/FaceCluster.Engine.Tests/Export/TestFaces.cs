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

    private static ClusterMember[] Members(FaceEncoding[] faces, FaceRole role) =>
        faces.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.FaceIndex)
            .Select(f => new ClusterMember(f, role))
            .ToArray();
}
