using System.Text.Json.Serialization;

namespace FaceCluster.Engine.People;

/// <summary>corrections.json: the face <see cref="FaceIndex"/> of the photo <see cref="Path"/> is not person <see cref="Id"/>.</summary>
public sealed record FaceRemovalCorrection(int Id, string Path, int FaceIndex)
{
    public FaceKey Face => new(Path, FaceIndex);

    /// <summary>The photo is gone: said once, still applied should it come back, never reported again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Retired { get; init; }

    /// <summary>Whether <paramref name="other"/> is about the same face of the same person (retired or not).</summary>
    public bool SameFace(FaceRemovalCorrection other) =>
        other.Id == Id && other.FaceIndex == FaceIndex && FaceKey.Comparer.Equals(other.Face, Face);
}
