namespace FaceCluster.Engine.Export;

/// <summary>A file a sync leaves as the user left it (see <see cref="ExportSyncNoteKind"/>).</summary>
/// <param name="Kind">Why.</param>
/// <param name="Path">Full path of the file.</param>
/// <param name="Source">The source photo it holds or held, where known.</param>
public sealed record ExportSyncNote(ExportSyncNoteKind Kind, string Path, string? Source)
{
    public override string ToString() => Kind switch
    {
        ExportSyncNoteKind.DeletedByUser => $"'{Path}' was deleted after an earlier export and its face is still with the same person: not written again.",
        ExportSyncNoteKind.LinkLeftAlone => ExportLinks.LeftAlone(Path, "the export's person folder"),
        _ => $"'{Path}' was changed after an earlier export wrote it: left untouched.",
    };
}
