using System.Text.Json.Serialization;

namespace FaceCluster.Engine.People;

/// <summary>corrections.json: person <see cref="Id"/> is called <see cref="Name"/>.</summary>
public sealed record PersonNameCorrection(int Id, string Name)
{
    /// <summary>The person left the export (<c>NamedPersonGone</c> said so once); the name is kept, never reported again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Retired { get; init; }

    /// <summary>When the correction was made (absent from files written before it was kept).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Made { get; init; }
}
