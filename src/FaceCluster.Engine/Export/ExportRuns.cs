using FaceCluster.Engine.FileSystem;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Splits a plan's actions into runs that may be carried out concurrently (<see cref="ConcurrentWrites"/>): only file
/// placements, representatives and removals, none touching a path (destination or earlier file moved from) another
/// of the run touches. Every other action (a folder created or removed, either faces.json) is a run of its own, so
/// what depends on order keeps it: the folders before the files put in them, faces.json after every file it records.
/// </summary>
internal static class ExportRuns
{
    public static IEnumerable<IReadOnlyList<ExportAction>> Split(IEnumerable<ExportAction> actions)
    {
        var run = new List<ExportAction>();
        var touched = new HashSet<string>(PathComparison.Comparer);
        foreach (var action in actions)
        {
            if (!IsIndependent(action.Kind) || !Touches(action).All(touched.Add))
            {
                if (run.Count > 0)
                    yield return run;
                run = [];
                touched.Clear();
                if (!IsIndependent(action.Kind))
                {
                    yield return [action];
                    continue;
                }
                foreach (var path in Touches(action))
                    touched.Add(path);
            }
            run.Add(action);
        }
        if (run.Count > 0)
            yield return run;
    }

    public static bool IsIndependent(ExportActionKind kind) => kind is ExportActionKind.PlacePhotoCopy or ExportActionKind.PlacePhotoHardLink
        or ExportActionKind.PlacePhotoSymbolicLink or ExportActionKind.WriteRepresentative or ExportActionKind.RemoveFile;

    private static IEnumerable<string> Touches(ExportAction action) =>
        action.Previous is { } previous ? [action.Destination, previous] : [action.Destination];
}
