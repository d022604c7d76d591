using System.Security.Cryptography;
using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Models;

/// <summary>A set of model files that together turn a photo into face embeddings, as described in packs.json.</summary>
public sealed record ModelPack
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required DistanceMetric Metric { get; init; }

    /// <summary>Default DBSCAN neighbourhood radius for this pack's embeddings.</summary>
    public required double Epsilon { get; init; }

    /// <summary>Default DBSCAN minimum samples.</summary>
    public required int MinSamples { get; init; }

    /// <summary>The clustering method Invoke-FaceCluster uses for this pack unless told otherwise.</summary>
    public required ClusteringAlgorithm Algorithm { get; init; }

    /// <summary>
    /// Default average-linkage threshold: the largest average distance at which two groups merge, or, with
    /// <see cref="LibraryThreshold"/>, at which two faces seen once each pair up.
    /// </summary>
    public required double LinkageThreshold { get; init; }

    /// <summary>How average linkage chooses each library's group threshold by default (packs.json "libraryThreshold"); null: a fixed threshold.</summary>
    public LibraryThresholdRule? LibraryThreshold { get; init; }

    public required int EmbeddingSize { get; init; }

    /// <summary>Which detector network the pack uses (packs.json "detector"; Ultra-Light when absent).</summary>
    public DetectorKind Detector { get; init; } = DetectorKind.UltraLight;

    /// <summary>Where the five landmarks go in the chip (packs.json "alignment"); null for the ArcFace 112x112 template.</summary>
    public FaceChipTemplate? ChipTemplate { get; init; }

    /// <summary>How the embedding network takes the chip (packs.json "input").</summary>
    public EmbeddingInput Input { get; init; } = EmbeddingInput.ArcFace;

    /// <summary>The licence of the pack's files (packs.json "license").</summary>
    public string License { get; init; } = "";

    /// <summary>Whether installing the pack needs the user's explicit acceptance of <see cref="License"/>.</summary>
    public bool LicenseAcceptanceRequired { get; init; }

    /// <summary>Built into the module, or installed by the user.</summary>
    public ModelPackSource Source { get; init; } = ModelPackSource.BuiltIn;

    /// <summary>What to do when a file is missing or differs (the end of <see cref="ModelFileException"/>'s message).</summary>
    public string RestoreAdvice { get; init; } = ModelFileException.RestoreAdvice;

    /// <summary>Folder that holds the pack's files.</summary>
    public required string Directory { get; init; }

    public required IReadOnlyList<ModelFile> Files { get; init; }

    /// <summary>The same pack using its detector file of kind <paramref name="detector"/> (it must list one).</summary>
    public ModelPack WithDetector(DetectorKind detector) => this with { Detector = detector };

    /// <summary>The file with the given role (for <see cref="ModelFileRole.Detector"/>, the one of kind <see cref="Detector"/>).</summary>
    public ModelFile GetFile(ModelFileRole role) =>
        Files.FirstOrDefault(f => f.Role == role && (role != ModelFileRole.Detector || f.Detector == Detector))
        ?? throw new InvalidOperationException($"Model pack '{Name}' has no {role} file{(role == ModelFileRole.Detector ? $" of kind {Detector}" : "")}.");

    /// <summary>Hashes every file and throws <see cref="ModelFileException"/> for one that is missing or differs.</summary>
    public void VerifyFiles()
    {
        foreach (var file in Files)
        {
            if (!File.Exists(file.FullPath))
            {
                throw new ModelFileException(file.FullPath,
                    $"Model file '{file.FullPath}' of pack '{Name}' is missing; {RestoreAdvice}.");
            }

            string actual;
            try
            {
                actual = Sha256Of(file.FullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModelFileException(file.FullPath,
                    $"Model file '{file.FullPath}' of pack '{Name}' cannot be read ({e.Message}); {RestoreAdvice}.", e);
            }

            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelFileException(file.FullPath,
                    $"Model file '{file.FullPath}' of pack '{Name}' has been tampered with or damaged (hash mismatch: " +
                    $"expected SHA-256 {file.Sha256.ToLowerInvariant()}, found {actual}); {RestoreAdvice}.");
            }
        }
    }

    /// <summary>The SHA-256 of the file at <paramref name="path"/>, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    public override string ToString() => Name;
}
