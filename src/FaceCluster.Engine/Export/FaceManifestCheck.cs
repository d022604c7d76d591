namespace FaceCluster.Engine.Export;

/// <summary>
/// Checks what the serializer cannot: a faces.json edited by hand or damaged, with a list entry or a required value
/// null, or a value out of range (an id below -1, a negative face index, a destination outside the export), is refused
/// as <see cref="InvalidDataException"/> naming the entry and the remedy, before any reader trips over it.
/// </summary>
internal static class FaceManifestCheck
{
    private const string Remedy = "faces.json is written by Export-FaceCluster: restore it, or export again into a new folder.";

    /// <exception cref="InvalidDataException">The first entry that is not sound.</exception>
    public static FaceManifest Checked(FaceManifest manifest)
    {
        if (Problem(manifest) is string problem)
            throw new InvalidDataException($"{problem}. {Remedy}");
        return manifest;
    }

    private static string? Problem(FaceManifest manifest)
    {
        if (manifest.Clusters is null || manifest.Faces is null)
            return "\"clusters\" or \"faces\" is null";
        for (var i = 0; i < manifest.Clusters.Count; i++)
        {
            var c = manifest.Clusters[i];
            if (c is null || c.Id < -1 || c.Label is null || !IsFolderName(c.Folder) || c.FaceCount < 0 || c.PhotoCount < 0
                || c.MergedIds?.Any(id => id < 0) == true || c.SplitFromId < 0 || c.RepresentativeFaceIndex < 0)
                return FormattableString.Invariant($"\"clusters\" entry {i} is null or has a value missing or out of range");
        }

        for (var i = 0; i < manifest.Faces.Count; i++)
        {
            var f = manifest.Faces[i];
            if (f is null || string.IsNullOrWhiteSpace(f.Path) || !Path.IsPathRooted(f.Path) || f.FaceIndex < 0 || f.Box is null
                || f.Landmarks is null || f.ClusterId < -1 || f.ClusterLabel is null || f.Model is null || !IsDestination(f.Destination)
                || !float.IsFinite(f.Confidence))
                return FormattableString.Invariant($"\"faces\" entry {i} is null or has a value missing or out of range");
        }

        if (manifest.FailedPhotos?.Any(p => p is null || p.Path is null || p.ErrorId is null) == true)
            return "\"failedPhotos\" holds an entry that is null or has a value missing";
        if (manifest.Earlier?.Any(e => e is null || !IsDestination(e.Destination)) == true)
            return "\"earlier\" holds an entry that is null or has a value missing or out of range";
        return null;
    }

    private static bool IsFolderName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name is not ("." or "..") && name.IndexOfAny(['/', '\\']) < 0;

    /// <summary>A path relative to the export folder that stays in it.</summary>
    private static bool IsDestination(string? destination) =>
        !string.IsNullOrWhiteSpace(destination) && !Path.IsPathRooted(destination)
        && destination.Split('/', '\\').All(part => part.Length > 0 && part is not ("." or ".."));
}
