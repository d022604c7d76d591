using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>A face box as faces.json stores it (<c>{x, y, width, height}</c>, pixels of the upright image).</summary>
public sealed record FaceManifestBox(float X, float Y, float Width, float Height)
{
    public static FaceManifestBox From(FaceBox box) => new(box.X, box.Y, box.Width, box.Height);

    public FaceBox ToFaceBox() => new(X, Y, Width, Height);
}
