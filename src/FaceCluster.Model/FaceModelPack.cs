namespace FaceCluster.Model;

/// <summary>A model pack as Get-FaceModelPack and Install-FaceModelPack report it.</summary>
public sealed record FaceModelPack
{
    public required string Name { get; init; }

    /// <summary>"BuiltIn" (packs.json beside the module, fetched by build.ps1) or "Installed" (by Install-FaceModelPack).</summary>
    public required string Source { get; init; }

    public string Description { get; init; } = "";

    /// <summary>The licence of the pack's files.</summary>
    public string License { get; init; } = "";

    /// <summary>Whether installing the pack needs -AcceptLicense.</summary>
    public bool LicenseAcceptanceRequired { get; init; }

    /// <summary>Folder that holds the pack's own files.</summary>
    public required string Path { get; init; }

    /// <summary>Whether every file the pack needs is present (their hashes are checked when a cmdlet uses the pack).</summary>
    public bool Installed { get; init; }

    public int EmbeddingSize { get; init; }

    public DistanceMetric Metric { get; init; }

    public override string ToString() => Name;
}
