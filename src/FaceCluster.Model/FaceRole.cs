namespace FaceCluster.Model;

/// <summary>How a face took part in the clustering (DBSCAN's terms).</summary>
public enum FaceRole
{
    /// <summary>Has at least MinSamples faces (itself included) within Epsilon.</summary>
    Core,
    /// <summary>Within Epsilon of a core face of its cluster, but not core itself.</summary>
    Border,
    /// <summary>Fits no cluster: "doubtful".</summary>
    Noise,
}
