namespace FaceCluster.Engine.People;

/// <summary>Who one new cluster is: <see cref="PersonMatcher"/>'s answer.</summary>
public sealed record PersonIdentity(int Id, string? Name, string Label, IReadOnlyList<int> MergedIds, int? SplitFromId);
