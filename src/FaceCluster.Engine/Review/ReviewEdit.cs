namespace FaceCluster.Engine.Review;

/// <summary>One change made on the review page, as the downloaded edits file holds it (<see cref="ReviewEdits"/>):
/// its <see cref="Action"/> and what that action needs (see <see cref="ReviewEditAction"/>).</summary>
public sealed record ReviewEdit
{
    public required ReviewEditAction Action { get; init; }

    /// <summary>The person named, merged, left or split.</summary>
    public int? Id { get; init; }

    /// <summary>The person merged or moved into.</summary>
    public int? Into { get; init; }

    public string? Name { get; init; }

    public IReadOnlyList<ReviewEditFace>? Faces { get; init; }

    /// <summary>What the edit says, in words.</summary>
    public override string ToString()
    {
        string faces = Faces is { Count: var n } ? FormattableString.Invariant($"{n} face{(n == 1 ? "" : "s")}") : "no face";
        return Action switch
        {
            ReviewEditAction.Name => FormattableString.Invariant($"name person {Id} '{Name}'"),
            ReviewEditAction.Merge => FormattableString.Invariant($"merge person {Id} into person {Into}"),
            ReviewEditAction.Move => FormattableString.Invariant($"move {faces} into person {Into}"),
            ReviewEditAction.NewPerson => $"make {faces} a new person",
            ReviewEditAction.Hide => $"hide {faces} (not a face)",
            ReviewEditAction.Remove => FormattableString.Invariant($"take {faces} out of person {Id}"),
            _ => FormattableString.Invariant($"split {faces} of person {Id} into a new person"),
        };
    }
}
