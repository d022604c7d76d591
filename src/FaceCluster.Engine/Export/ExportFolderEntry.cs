namespace FaceCluster.Engine.Export;

/// <summary>A file or link in an export folder (<see cref="ExportFolderListing"/>): a link has no stamp; a plain file's
/// stamp has no hash.</summary>
internal readonly record struct ExportFolderEntry(bool IsLink, FileStamp? Stamp);
