namespace FaceCluster.Engine.Models;

/// <summary>Why a pack cannot be installed or removed (the error id is "ModelPack" and this name).</summary>
public enum ModelPackInstallProblem
{
    /// <summary>The definition asks for the licence to be accepted and it was not.</summary>
    LicenseNotAccepted,

    /// <summary>No file given for one of the definition's files.</summary>
    FileNotGiven,

    /// <summary>A given file's SHA-256 differs from the definition's.</summary>
    HashMismatch,

    /// <summary>A pack of that name is installed already (and -Force was not given).</summary>
    AlreadyInstalled,

    /// <summary>The name is a built-in pack's: an installed pack cannot shadow it.</summary>
    NameTaken,

    /// <summary>No installed pack has that name.</summary>
    NotInstalled,
}
