namespace FaceCluster.Engine.Models;

/// <summary>Where a model pack comes from.</summary>
public enum ModelPackSource
{
    /// <summary>Listed in the module's packs.json; build.ps1 fetches its files.</summary>
    BuiltIn,

    /// <summary>Installed by the user with Install-FaceModelPack into the per-user pack folder.</summary>
    Installed,
}
