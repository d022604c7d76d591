namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Constraints from earlier runs for <see cref="AverageLinkageClusterer"/>, one entry per point: the earlier person
/// a point belonged to, the people it may never join (a face taken out of a person), and must-links (points with the
/// same non-negative <see cref="Together"/> entry start as one group).
/// </summary>
public sealed class PersonConstraints
{
    /// <summary>Per point: its earlier person, or -1.</summary>
    public required int[] Person { get; init; }

    /// <summary>Per point: the people it may not join (no group holding a point of such a <see cref="Person"/>), or null.</summary>
    public required int[]?[] NotPerson { get; init; }

    /// <summary>Per point: a must-link group, or -1.</summary>
    public required int[] Together { get; init; }
}
