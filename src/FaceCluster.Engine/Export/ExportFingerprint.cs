using System.Security.Cryptography;
using System.Text.Json;

namespace FaceCluster.Engine.Export;

/// <summary>
/// What makes two exports "the same clustering" and so able to share a folder: the mode, each group's label and
/// representative face, and each face's (label, source path, face index, model pack). Roles, boxes and
/// confidences are left out: they change no file name and no folder.
/// </summary>
public static class ExportFingerprint
{
    /// <summary>Lower-case hex SHA-256 of a canonical JSON form of the above (groups by label, faces by label, path
    /// and face index, all ordinal), so neither the order of the groups nor of their members matters.</summary>
    public static string Of(FaceManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var canonical = new
        {
            mode = manifest.Mode.ToString(),
            clusters = manifest.Clusters
                .OrderBy(c => c.Label, StringComparer.Ordinal)
                .Select(c => new object?[] { c.Label, c.RepresentativePath, c.RepresentativeFaceIndex }),
            faces = manifest.Faces
                .OrderBy(f => f.ClusterLabel, StringComparer.Ordinal).ThenBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.FaceIndex)
                .Select(f => new object[] { f.ClusterLabel, f.Path, f.FaceIndex, f.Model }),
        };
        return Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical))).ToLowerInvariant();
    }
}
