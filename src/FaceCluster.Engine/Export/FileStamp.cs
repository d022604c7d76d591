using System.Text.Json.Serialization;

namespace FaceCluster.Engine.Export;

/// <summary>
/// A file an export wrote, as it wrote it: its length, last write time and SHA-256, recorded in faces.json so that a
/// later <c>Export-FaceCluster -Sync</c> can tell the file is still as written before it moves, replaces or removes
/// it. Length and time answer whether a file is already in place (as file synchronisers do); the hash, read only for
/// a file the sync would move, replace or remove, catches an edit that kept both (<c>exiftool -P</c>). Copies and
/// representative crops take their source photo's time.
/// </summary>
public sealed record FileStamp(long Length, DateTime Modified)
{
    /// <summary>Lower-case hex SHA-256 of the content; null where it was not recorded (faces.json of earlier versions),
    /// and in what <see cref="TryRead"/> returns.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sha256 { get; init; }

    /// <summary>The length and time of the plain file at <paramref name="path"/> (no hash), or null where there is
    /// none (missing, a folder or a symbolic link).</summary>
    public static FileStamp? TryRead(string path)
    {
        var file = new FileInfo(path);
        return file.Exists && file.LinkTarget is null ? new FileStamp(file.Length, file.LastWriteTimeUtc) : null;
    }

    /// <summary><see cref="TryRead"/> with the content's hash.</summary>
    public static FileStamp? TryReadWithHash(string path, CancellationToken cancellationToken = default) =>
        TryRead(path) is { } stamp ? stamp with { Sha256 = Hash(path, cancellationToken) } : null;

    /// <summary>Whether <paramref name="other"/> has this length and time (hashes are not compared).</summary>
    public bool HasSizeAndTime(FileStamp? other) => other is not null && other.Length == Length && other.Modified == Modified;

    /// <summary>Whether the file at <paramref name="path"/> is this one: the same length and time and, where recorded,
    /// the same content.</summary>
    public bool Matches(string path, CancellationToken cancellationToken = default) =>
        HasSizeAndTime(TryRead(path)) && (Sha256 is null || string.Equals(Sha256, Hash(path, cancellationToken), StringComparison.Ordinal));

    private static string Hash(string path, CancellationToken cancellationToken) =>
        Convert.ToHexString(ExportExecutor.Sha256(path, cancellationToken)).ToLowerInvariant();
}
