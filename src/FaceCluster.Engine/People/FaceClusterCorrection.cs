using FaceCluster.Engine.Export;

namespace FaceCluster.Engine.People;

/// <summary>
/// One entry of an export's corrections.json, as Get-FaceClusterCorrection lists it and Undo-FaceClusterCorrection
/// takes it back: its <see cref="Kind"/>, the person it is about (<see cref="Id"/>, -1 for none or a doubtful face),
/// its target (<see cref="Into"/> or <see cref="Name"/>), its face (<see cref="Photo"/>, <see cref="FaceIndex"/>),
/// when it was made and whether it is retired. <see cref="Entry"/> is the entry itself.
/// </summary>
public sealed record FaceClusterCorrection
{
    /// <summary>The export folder.</summary>
    public required string Export { get; init; }

    public required CorrectionKind Kind { get; init; }

    /// <summary>The person the correction is about: named, merged, left by a face; -1 for a hidden or doubtful face.</summary>
    public required int Id { get; init; }

    /// <summary>The person merged into or moved into.</summary>
    public int? Into { get; init; }

    public string? Name { get; init; }

    /// <summary>The source photo's full path (face corrections).</summary>
    public string? Photo { get; init; }

    public int? FaceIndex { get; init; }

    /// <summary>The photo's content key (hex), when recorded.</summary>
    public string? ContentKey { get; init; }

    /// <summary>When it was made; null for entries written before that was kept.</summary>
    public DateTimeOffset? Made { get; init; }

    /// <summary>Its subject left the export (said once); it applies again should the subject come back.</summary>
    public bool Retired { get; init; }

    /// <summary>The corrections.json entry (a <see cref="PersonNameCorrection"/>, <see cref="PersonMergeCorrection"/>,
    /// <see cref="FaceRemovalCorrection"/>, <see cref="FaceMoveCorrection"/> or <see cref="FaceHideCorrection"/>).</summary>
    public required object Entry { get; init; }

    /// <summary>What the correction says, in words.</summary>
    public override string ToString() => Kind switch
    {
        CorrectionKind.Name => FormattableString.Invariant($"name '{Name}' of person {Id}"),
        CorrectionKind.Merge => FormattableString.Invariant($"merge of person {Id} into {Into}"),
        CorrectionKind.Removal => FormattableString.Invariant($"removal of face {FaceIndex} of '{Photo}' from person {Id}"),
        CorrectionKind.Move => FormattableString.Invariant($"move of face {FaceIndex} of '{Photo}' into person {Into}"),
        _ => FormattableString.Invariant($"hiding of face {FaceIndex} of '{Photo}'"),
    };

    /// <summary>The corrections of the export in <paramref name="folder"/>: names, merges, removals, moves, hidden faces.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no faces.json.</exception>
    /// <exception cref="InvalidDataException">corrections.json is damaged, not ours or too new.</exception>
    public static IReadOnlyList<FaceClusterCorrection> Read(string folder)
    {
        string manifestPath = Path.Combine(folder, FaceManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"'{folder}' holds no {FaceManifest.FileName}: it is not a FaceCluster export.", manifestPath);
        }

        PersonCorrections c = PersonCorrections.Load(folder);
        return [.. c.Names.Cast<object>().Concat(c.Merges).Concat(c.Removals).Concat(c.Moves).Concat(c.Hidden).Select(entry => From(folder, entry))];
    }

    /// <summary>The correction of <paramref name="entry"/>, an entry of the corrections.json in <paramref name="folder"/>.</summary>
    /// <exception cref="ArgumentException">Not such an entry.</exception>
    public static FaceClusterCorrection From(string folder, object entry) => entry switch
    {
        PersonNameCorrection n => new FaceClusterCorrection { Export = folder, Kind = CorrectionKind.Name, Id = n.Id, Name = n.Name, Made = n.Made, Retired = n.Retired, Entry = n },
        PersonMergeCorrection m => new FaceClusterCorrection { Export = folder, Kind = CorrectionKind.Merge, Id = m.Id, Into = m.Into, Made = m.Made, Entry = m },
        FaceRemovalCorrection r => new FaceClusterCorrection { Export = folder, Kind = CorrectionKind.Removal, Id = r.Id, Photo = r.Path, FaceIndex = r.FaceIndex, ContentKey = r.ContentKey, Made = r.Made, Retired = r.Retired, Entry = r },
        FaceMoveCorrection m => new FaceClusterCorrection { Export = folder, Kind = CorrectionKind.Move, Id = m.Id, Into = m.Into, Photo = m.Path, FaceIndex = m.FaceIndex, ContentKey = m.ContentKey, Made = m.Made, Retired = m.Retired, Entry = m },
        FaceHideCorrection h => new FaceClusterCorrection { Export = folder, Kind = CorrectionKind.Hide, Id = -1, Photo = h.Path, FaceIndex = h.FaceIndex, ContentKey = h.ContentKey, Made = h.Made, Retired = h.Retired, Entry = h },
        _ => throw new ArgumentException($"Not an entry of {PersonCorrections.FileName}: {entry}.", nameof(entry)),
    };
}
