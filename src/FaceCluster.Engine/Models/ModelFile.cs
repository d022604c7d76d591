namespace FaceCluster.Engine.Models;

/// <summary>
/// One file of a model pack: its role, its full path and the SHA-256 it must have (lower-case hex). A detector file also
/// says which detector network it is (packs.json "detector"; Ultra-Light when absent): a pack may list several and use
/// the one its own "detector" names. <paramref name="FromPack"/> names the pack the file belongs to when it is another's
/// (packs.json "fromPack").
/// </summary>
public sealed record ModelFile(ModelFileRole Role, string Name, string FullPath, string Sha256, DetectorKind Detector = DetectorKind.UltraLight,
    string? FromPack = null);
