using System.Text.Json.Serialization;

namespace FaceCluster.Engine.People;

/// <summary>
/// What the corrections.json entries about one face share (<see cref="FaceRemovalCorrection"/>,
/// <see cref="FaceMoveCorrection"/>, <see cref="FaceHideCorrection"/>): the face <see cref="FaceIndex"/> of the photo
/// <see cref="Path"/>, the photo's content key, when the correction was made, and whether it is retired.
/// </summary>
public abstract record FaceCorrection(string Path, int FaceIndex)
{
    public FaceKey Face => new(Path, FaceIndex);

    /// <summary>The photo's <see cref="Store.PhotoContentKey"/> (hex) when the correction was made: finds it moved or renamed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ContentKey { get; init; }

    /// <summary>When the correction was made (absent from files written before it was kept).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Made { get; init; }

    /// <summary>The photo is gone: said once, still applied should it come back, never reported again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Retired { get; init; }

    /// <summary>Whether <paramref name="other"/> is about the same face (the same face index of the same path).</summary>
    public bool SameFaceAs(FaceCorrection other) => FaceKey.Comparer.Equals(other.Face, Face);
}
