using System.Text.Json.Serialization;
using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>One face in faces.json: where it came from, which group it joined and where its photo was written.</summary>
public sealed record FaceManifestFace
{
    /// <summary>Full path of the source photo.</summary>
    public required string Path { get; init; }

    public required int FaceIndex { get; init; }

    public required FaceManifestBox Box { get; init; }

    public required IReadOnlyList<FacePoint> Landmarks { get; init; }

    public required float Confidence { get; init; }

    /// <summary><see cref="FaceGroup.Id"/>: 0 for the largest cluster, -1 for doubtful.</summary>
    public required int ClusterId { get; init; }

    public required string ClusterLabel { get; init; }

    public required FaceRole Role { get; init; }

    /// <summary><see cref="ClusterMember.NearestClusterId"/>: doubtful faces only, absent from the JSON of the others.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? NearestClusterId { get; init; }

    /// <summary><see cref="ClusterMember.NearestClusterDistance"/>: doubtful faces only, absent from the JSON of the others.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? NearestClusterDistance { get; init; }

    /// <summary><see cref="ClusterMember.Gate"/>: why the face-quality gate kept the face out of every person; absent
    /// for the faces it let through.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FaceGateReason? Gate { get; init; }

    public required string Model { get; init; }

    /// <summary>The file the photo was written to, relative to the output folder, with '/' separators
    /// (e.g. <c>cluster_0/IMG_0001 (2).jpg</c>).</summary>
    public required string Destination { get; init; }

    /// <summary>The destination file as the export left it (absent for symbolic links and for files not in place).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileStamp? Stamp { get; init; }
}
