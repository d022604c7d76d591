namespace FaceCluster.Model;

/// <summary>Where a clustering setting came from.</summary>
public enum SettingSource
{
    /// <summary>The model pack's default (packs.json).</summary>
    ModelPack,

    /// <summary>The user's parameter (for example Invoke-FaceCluster -Epsilon).</summary>
    Parameter,
}
