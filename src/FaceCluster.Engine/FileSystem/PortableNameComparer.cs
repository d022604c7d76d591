namespace FaceCluster.Engine.FileSystem;

/// <summary>
/// Compares names as the strictest of the file systems the export writes to: ignoring case (NTFS, APFS, HFS+) and
/// Unicode normalisation (APFS, and HFS+, which stores NFD), so two names it calls different are two files everywhere.
/// </summary>
internal sealed class PortableNameComparer : IEqualityComparer<string>
{
    public bool Equals(string? x, string? y) =>
        x is null || y is null ? x == y
            : string.Equals(PortableFileName.Normalized(x), PortableFileName.Normalized(y), StringComparison.OrdinalIgnoreCase);

    public int GetHashCode(string obj) => StringComparer.OrdinalIgnoreCase.GetHashCode(PortableFileName.Normalized(obj));
}
