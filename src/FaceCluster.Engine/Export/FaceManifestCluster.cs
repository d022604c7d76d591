using System.Text.Json.Serialization;
using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>One group (folder) in faces.json.</summary>
public sealed record FaceManifestCluster
{
    public required int Id { get; init; }

    /// <summary><see cref="FaceGroup.Name"/>: the person's name, null when unnamed.</summary>
    public string? Name { get; init; }

    public required string Label { get; init; }

    /// <summary><see cref="FaceGroup.MergedIds"/>: earlier people who joined this one; absent when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? MergedIds { get; init; }

    /// <summary><see cref="FaceGroup.SplitFromId"/>: the earlier person this one split from; absent when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SplitFromId { get; init; }

    /// <summary>Folder relative to the output folder (the label).</summary>
    public required string Folder { get; init; }

    public required int FaceCount { get; init; }

    public required int PhotoCount { get; init; }

    /// <summary>Source photo of the representative face; null for the doubtful group.</summary>
    public string? RepresentativePath { get; init; }

    public int? RepresentativeFaceIndex { get; init; }

    /// <summary><c>label/representative.jpg</c>; null where there is no representative.</summary>
    public string? RepresentativeFile { get; init; }

    /// <summary><see cref="RepresentativeFile"/> as the export left it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileStamp? RepresentativeStamp { get; init; }
}
