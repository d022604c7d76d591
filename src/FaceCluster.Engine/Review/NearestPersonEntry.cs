namespace FaceCluster.Engine.Review;

/// <summary>One person's most alike person as an export computed it (<see cref="NearestPeopleState"/>), with what a
/// later export needs to tell whether it still holds.</summary>
/// <param name="Id">The person's id.</param>
/// <param name="Pack">The model pack, vector length and metric the person was compared in.</param>
/// <param name="Faces">Fingerprint of what the hint reads of the person: its mean face and its compared faces.</param>
/// <param name="Candidates">Ids of the people whose mean faces were nearest (at most <see cref="NearestPeople.Candidates"/>), ascending.</param>
/// <param name="Last">Id of the farthest of the candidates (ties: the higher id); absent when there were fewer than
/// <see cref="NearestPeople.Candidates"/> other people.</param>
/// <param name="LastSurrogate">Its distance (<see cref="Clustering.ExactDistance.Surrogate"/> of the two means): every
/// other person of the pack was farther (ties: a higher id).</param>
/// <param name="Hint">The most alike person's id; absent when none.</param>
/// <param name="HintDistance">The distance of its face nearest to one of the person's (compared faces only).</param>
public sealed record NearestPersonEntry(int Id, string Pack, string Faces, int[] Candidates, int? Last, double? LastSurrogate, int? Hint, double? HintDistance);
