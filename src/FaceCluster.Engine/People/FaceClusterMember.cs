using FaceCluster.Engine.Export;
using FaceCluster.Model;

namespace FaceCluster.Engine.People;

/// <summary>
/// One face of an export, as Get-FaceClusterMember lists it: its person (<see cref="Id"/>, -1 for doubtful, with the
/// name a correction or faces.json gives), its photo and face index, role, box, the face-quality gate's reason and the copy in the export. Its
/// <see cref="Export"/>, <see cref="Photo"/> and <see cref="FaceIndex"/> bind by name to the correction cmdlets.
/// </summary>
public sealed record FaceClusterMember
{
    /// <summary>The export folder.</summary>
    public required string Export { get; init; }

    /// <summary>The person's id; -1 for a doubtful face.</summary>
    public required int Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The source photo's full path.</summary>
    public required string Photo { get; init; }

    public required int FaceIndex { get; init; }

    public required FaceRole Role { get; init; }

    public required FaceManifestBox Box { get; init; }

    /// <summary>Why the face-quality gate kept the face out of every person (probably not a face); null when it did not.</summary>
    public FaceGateReason? Gate { get; init; }

    /// <summary>The copy of the photo in the export (full path).</summary>
    public required string Copy { get; init; }

    /// <summary>The faces of the export in <paramref name="folder"/>, person by person (doubtful last), in faces.json's order.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no faces.json.</exception>
    /// <exception cref="InvalidDataException">faces.json or corrections.json is damaged, not ours or too new.</exception>
    public static IReadOnlyList<FaceClusterMember> Read(string folder)
    {
        string manifestPath = Path.Combine(folder, FaceManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"'{folder}' holds no {FaceManifest.FileName}: it is not a FaceCluster export.", manifestPath);
        }

        FaceManifest manifest = FaceManifest.Read(manifestPath);
        var names = CorrectionBook.ReadPeople(folder).ToDictionary(p => p.Id, p => p.Name);
        return manifest.Faces
            .OrderBy(f => f.ClusterId < 0 ? int.MaxValue : f.ClusterId)
            .Select(f => new FaceClusterMember
            {
                Export = folder,
                Id = f.ClusterId,
                Name = names.GetValueOrDefault(f.ClusterId),
                Photo = f.Path,
                FaceIndex = f.FaceIndex,
                Role = f.Role,
                Box = f.Box,
                Gate = f.Gate,
                Copy = Path.GetFullPath(Path.Combine(folder, f.Destination)),
            })
            .ToArray();
    }
}
