namespace FaceCluster.Engine.People;

/// <summary>Something about the people across runs that a user should hear of: a stale correction, a folder
/// change that was recorded, a split or merge of earlier people. <see cref="Code"/> is stable.</summary>
public sealed record PeopleNotice(string Code, string Message);
