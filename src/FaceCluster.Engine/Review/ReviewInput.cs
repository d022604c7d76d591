using FaceCluster.Engine.Export;

namespace FaceCluster.Engine.Review;

/// <summary>What <see cref="ReviewSite.Build"/> turns into pages.</summary>
public sealed record ReviewInput
{
    /// <summary>The export's faces.json document.</summary>
    public required FaceManifest Manifest { get; init; }

    /// <summary>The key of the export's faces.json (<see cref="ReviewEdits.ExportKey"/>), which the downloaded changes carry.</summary>
    public required string ExportKey { get; init; }

    /// <summary>Full path of the export folder, as the correction commands name it.</summary>
    public required string ExportFolder { get; init; }

    /// <summary>When the export ran.</summary>
    public required DateTimeOffset ExportedAt { get; init; }

    /// <summary>Thumbnail file name (in <see cref="ReviewSite.ThumbnailFolder"/>) of each face by source path and face
    /// index; a face without one is shown by name only.</summary>
    public required IReadOnlyDictionary<(string Path, int FaceIndex), string> Thumbnails { get; init; }

    /// <summary>See <see cref="NearestPeople.Find(IReadOnlyList{Model.FaceGroup}, CancellationToken)"/>.</summary>
    public required IReadOnlyDictionary<int, int> NearestPeople { get; init; }

    /// <summary>Whether the page (a later page of people, a person's or the doubtful faces) at the relative path, whose content has this fingerprint
    /// (<see cref="ReviewFile.Inputs"/>), is on disk as an earlier export wrote it: then it is not built again. Null:
    /// every page is built.</summary>
    public Func<string, string, bool>? IsKept { get; init; }
}
