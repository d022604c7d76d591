using System.Text.Json.Serialization;

namespace FaceCluster.Engine.People;

/// <summary>corrections.json: person <see cref="Id"/> is the same person as <see cref="Into"/>, whose id they keep.</summary>
public sealed record PersonMergeCorrection(int Id, int Into)
{
    /// <summary>When the correction was made (absent from files written before it was kept).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Made { get; init; }
}
