using System.Text.Json;
using FaceCluster.Engine.Export;

namespace FaceCluster.Engine.FileSystem;

/// <summary>
/// Finds the FaceCluster export folder a file lies in, if any: the nearest folder above it that holds a faces.json
/// whose "tool" is FaceCluster (a stray faces.json of another program does not count). Each folder is looked at
/// once and its answer kept, so a whole photo library costs one probe per folder. Not thread-safe.
/// </summary>
public sealed class ExportFolderFinder
{
    /// <summary>Bytes of faces.json read to find its "tool": the manifest writes it second, after "schemaVersion".</summary>
    private const int HeadBytes = 4096;

    private readonly Dictionary<string, string?> _exportOf = new(PathComparison.Comparer);

    /// <summary>The export folder holding <paramref name="file"/> (at any depth), or null when there is none.</summary>
    public string? ExportFolderOf(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(file));
        return folder is null ? null : ExportFolderAt(folder);
    }

    /// <summary>The export folder that is <paramref name="folder"/> (a full path) or holds it at any depth, or null.</summary>
    public string? ExportFolderAt(string folder)
    {
        if (_exportOf.TryGetValue(folder, out string? known))
        {
            return known;
        }

        string? parent = Path.GetDirectoryName(folder);
        string? export = HoldsManifest(folder) ? folder : parent is null ? null : ExportFolderAt(parent);
        _exportOf[folder] = export;
        return export;
    }

    /// <summary>True when <paramref name="folder"/> holds a faces.json written by FaceCluster.</summary>
    public static bool HoldsManifest(string folder)
    {
        string path = Path.Combine(folder, FaceManifest.FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            var head = new byte[HeadBytes];
            int length;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }

            return ToolOf(head.AsSpan(0, length), isWhole: length < HeadBytes) == FaceManifest.ToolName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false;
        }
    }

    /// <summary>The string value of the top-level "tool" property, if it is within <paramref name="json"/>.</summary>
    private static string? ToolOf(ReadOnlySpan<byte> json, bool isWhole)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: isWhole, state: default);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.CurrentDepth >= 1)
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isTool = reader.ValueTextEquals("tool"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isTool)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }

        return null;
    }
}
