using FaceCluster.Engine.FileSystem;
using FaceCluster.Engine.People;
using FaceCluster.Model;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Turns clustered faces into an <see cref="ExportPlan"/>: one folder per group (named by its label), each photo with a
/// face of that group placed once in that folder, <c>representative.jpg</c> per cluster, and faces.json first (marked
/// incomplete) and last (marked complete), with the clustering's settings when every group carries the same.
/// Pure: reads and writes nothing on disk; the same groups always give the same plan.
/// </summary>
public static class ExportPlanner
{
    public const string RepresentativeFileName = "representative.jpg";

    /// <param name="groups">Groups in folder order (as Invoke-FaceCluster emits them: largest first, doubtful last).
    /// Empty groups are skipped.</param>
    /// <param name="outputDirectory">The output folder; made absolute.</param>
    /// <param name="mode">How photos are placed.</param>
    /// <param name="failedPhotos">The photos the encoder could not read, recorded in the manifest (each path and error
    /// id once, ordered); null where they are not known.</param>
    /// <exception cref="ArgumentException">A label is not a folder name valid on every file system, is one of the
    /// export's own names, or two groups share one (ignoring case and Unicode normalisation).</exception>
    public static ExportPlan Plan(IReadOnlyList<FaceGroup> groups, string outputDirectory, ExportMode mode,
        IReadOnlyList<FaceManifestFailedPhoto>? failedPhotos = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown export mode.");

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory));
        var actions = new List<ExportAction>
        {
            new() { Kind = ExportActionKind.CreateDirectory, Destination = root, Description = "Create output folder" },
        };
        var clusters = new List<FaceManifestCluster>();
        var faces = new List<FaceManifestFace>();
        var labels = new HashSet<string>(PortableFileName.Comparer);

        foreach (var group in groups)
        {
            ArgumentNullException.ThrowIfNull(group, nameof(groups));
            if (group.Members.Count == 0)
                continue;
            ValidateLabel(group);
            if (!labels.Add(group.Label))
                throw new ArgumentException($"Two groups share the label '{group.Label}'; each needs its own folder.", nameof(groups));

            var folder = Path.Combine(root, group.Label);
            actions.Add(new() { Kind = ExportActionKind.CreateDirectory, Destination = folder, GroupLabel = group.Label, Description = $"Create folder '{group.Label}'" });

            var representative = group.IsDoubtful ? null : group.Representative;
            var reserved = representative is null ? [] : new[] { RepresentativeFileName };
            var names = PhotoNameAssigner.Assign(group.Photos, reserved);
            foreach (var (source, name) in names.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                actions.Add(PlacePhoto(mode, source, Path.Combine(folder, name), group.Label));

            string? representativeFile = null;
            if (representative is not null)
            {
                representativeFile = RelativeFile(group.Label, RepresentativeFileName);
                actions.Add(new()
                {
                    Kind = ExportActionKind.WriteRepresentative,
                    Source = representative.Path,
                    Destination = Path.Combine(folder, RepresentativeFileName),
                    GroupLabel = group.Label,
                    Face = representative,
                    Description = $"Write representative face crop of '{group.Label}' from '{representative}'",
                });
            }

            clusters.Add(new()
            {
                Id = group.Id,
                Name = group.Name,
                Label = group.Label,
                MergedIds = group.MergedIds.Count > 0 ? group.MergedIds : null,
                SplitFromId = group.SplitFromId,
                Folder = group.Label,
                FaceCount = group.FaceCount,
                PhotoCount = names.Count,
                RepresentativePath = representative?.Path,
                RepresentativeFaceIndex = representative?.FaceIndex,
                RepresentativeFile = representativeFile,
            });
            faces.AddRange(group.Members.Select(member => ManifestFace(member, group, RelativeFile(group.Label, names[member.Face.Path]))));
        }

        var settings = groups.Where(g => g.Members.Count > 0).Select(g => g.Clustering).Distinct().ToArray();
        var manifest = new FaceManifest
        {
            Mode = mode,
            Clustering = settings.Length == 1 ? settings[0] : null,
            FailedPhotos = failedPhotos?.GroupBy(f => f.Path, FileSystem.PathComparison.Comparer).SelectMany(photo => photo.DistinctBy(f => f.ErrorId))
                .OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.ErrorId, StringComparer.Ordinal).ToArray(),
            Clusters = clusters,
            Faces = faces.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.FaceIndex).ThenBy(f => f.ClusterId).ToArray(),
        };
        actions.Insert(1, new()
        {
            Kind = ExportActionKind.StartManifest,
            Destination = Path.Combine(root, FaceManifest.FileName),
            Manifest = manifest.AsIncomplete(),
            Description = $"Write manifest of {manifest.Faces.Count} faces, marked incomplete",
        });
        actions.Add(new()
        {
            Kind = ExportActionKind.WriteManifest,
            Destination = Path.Combine(root, FaceManifest.FileName),
            Manifest = manifest,
            Description = $"Write manifest of {manifest.Faces.Count} faces, marked complete",
        });
        return new ExportPlan { OutputDirectory = root, Mode = mode, Actions = actions, Manifest = manifest };
    }

    private static ExportAction PlacePhoto(ExportMode mode, string source, string destination, string label)
    {
        var (kind, verb) = mode switch
        {
            ExportMode.HardLink => (ExportActionKind.PlacePhotoHardLink, "Hard-link"),
            ExportMode.SymbolicLink => (ExportActionKind.PlacePhotoSymbolicLink, "Symbolic-link"),
            _ => (ExportActionKind.PlacePhotoCopy, "Copy"),
        };
        return new() { Kind = kind, Source = source, Destination = destination, GroupLabel = label, Description = $"{verb} photo '{source}' into '{label}'" };
    }

    private static FaceManifestFace ManifestFace(ClusterMember member, FaceGroup group, string destination) => new()
    {
        Path = member.Face.Path,
        FaceIndex = member.Face.FaceIndex,
        Box = FaceManifestBox.From(member.Face.Box),
        Landmarks = member.Face.Landmarks,
        Confidence = member.Face.Confidence,
        ClusterId = group.Id,
        ClusterLabel = group.Label,
        Role = member.Role,
        NearestClusterId = member.NearestClusterId,
        NearestClusterDistance = member.NearestClusterDistance,
        Gate = member.Gate,
        Model = member.Face.Model,
        Destination = destination,
    };

    private static string RelativeFile(string folder, string fileName) => folder + "/" + fileName;

    /// <summary>A group's label must be a name valid everywhere (<see cref="PortableFileName.IsValid"/>) and not one of
    /// the export's own names; only the doubtful group is the doubtful folder.</summary>
    private static void ValidateLabel(FaceGroup group)
    {
        var label = group.Label;
        if (string.IsNullOrWhiteSpace(label) || label != label.Trim() || !PortableFileName.IsValid(label) || AtomicFile.IsTemporaryName(label)
            || PersonFolderName.ExportOwnedNames.Where(name => !group.IsDoubtful || name != FaceGroup.DoubtfulLabel).Contains(label, PortableFileName.Comparer))
            throw new ArgumentException($"The group label '{label}' cannot be used as a folder name.", nameof(group));
    }
}
