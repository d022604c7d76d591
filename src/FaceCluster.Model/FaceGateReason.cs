namespace FaceCluster.Model;

/// <summary>
/// Why the face-quality gate kept a detection out of every person (<see cref="ClusterMember.Gate"/>). No value is 0, so
/// that every reason is true in PowerShell (<c>Where-Object Gate</c>).
/// </summary>
public enum FaceGateReason
{
    /// <summary>The detector's score is below the gate's lowest.</summary>
    LowScore = 1,

    /// <summary>Much smaller than another face of its photo and beside or inside it: an ear, an eye, a beard, hair.</summary>
    Fragment,

    /// <summary>Mostly inside the box of a larger face of its photo: a second box on that face.</summary>
    InsideFace,
}
