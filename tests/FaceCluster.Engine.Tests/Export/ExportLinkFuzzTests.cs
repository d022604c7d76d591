using FaceCluster.Engine.Export;
using FaceCluster.Engine.Review;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>
/// Links at every level of an export (its root, a person folder, review, review/thumbnails, a photo, a representative,
/// faces.json, index.html, the style sheet, the lock file), each pointing into the source folder or nowhere, then a
/// rerun, an export with -Force and a rename -Sync (that also in -Mode HardLink and SymbolicLink), each followed by the
/// review page as Export-FaceCluster writes it.
/// Whatever each run does or refuses, nothing outside the export is moved, renamed, deleted or written, the sources
/// stay byte-identical, and the link is left as it was.
/// </summary>
public sealed class ExportLinkFuzzTests : TempDirectoryTest
{
    public enum Level { Root, PersonFolder, Review, Thumbnails, Photo, Representative, Manifest, Index, StyleSheet, Lock }

    public enum Target { RealFolder, Source, Dangling }

    public enum Run { Rerun, Force, Sync }

    private static readonly Dictionary<Level, string> Paths = new()
    {
        [Level.Root] = "",
        [Level.PersonFolder] = "cluster_0",
        [Level.Review] = ReviewSite.FolderName,
        [Level.Thumbnails] = ReviewSite.ThumbnailFolder,
        [Level.Photo] = "cluster_0/a.jpg",
        [Level.Representative] = "cluster_0/representative.jpg",
        [Level.Manifest] = FaceManifest.FileName,
        [Level.Index] = ReviewSite.IndexFileName,
        [Level.StyleSheet] = $"{ReviewSite.FolderName}/{ReviewSite.StyleSheetName}",
        [Level.Lock] = ExportLock.FileName,
    };

    private static readonly Level[] Folders = [Level.Root, Level.PersonFolder, Level.Review, Level.Thumbnails];

    public static TheoryData<Level, Target, Run, ExportMode> Cases()
    {
        var cases = new TheoryData<Level, Target, Run, ExportMode>();
        foreach (var level in Enum.GetValues<Level>())
            foreach (var target in Enum.GetValues<Target>().Where(t => t != Target.RealFolder || level == Level.Root))
            {
                foreach (var run in Enum.GetValues<Run>())
                    cases.Add(level, target, run, ExportMode.Copy);
                cases.Add(level, target, Run.Sync, ExportMode.HardLink);
                cases.Add(level, target, Run.Sync, ExportMode.SymbolicLink);
            }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Nothing_outside_the_export_is_touched(Level level, Target target, Run run, ExportMode mode)
    {
        var src = Temp.Combine("src");
        string[] photos = ["a.jpg", "b.jpg", "c.jpg", "d.jpg"];
        var sources = photos.Select((name, i) => TestJpeg.WritePhoto(Path.Combine(src, name), i + 1)).ToArray();
        // What an export must never take for its own: pages, a style sheet, a thumbnail's name, a temporary's name.
        foreach (var decoy in new[] { "notes.html", "index.html", ReviewSite.StyleSheetName, "0123456789abcdef0123456789abcdef.jpg", ".fc-tmp-0123456789abcdef0123456789abcdef" })
            File.WriteAllText(Path.Combine(src, decoy), "the user's " + decoy);
        var output = Temp.Combine("out");
        FaceGroup[] before = [Cluster(0, Face(sources[0]), Face(sources[1])), Cluster(1, Face(sources[2]))];
        FaceGroup[] renamed =
        [
            new FaceGroup { Id = 0, Label = "Alice", Members = Cluster(0, Face(sources[0]), Face(sources[1]), Face(sources[3])).Members, Representative = Face(sources[0]) },
            before[1],
        ];

        var linkPath = level == Level.Root ? output : Path.Combine([output, .. Paths[level].Split('/')]);
        var linkTarget = target switch
        {
            Target.RealFolder => Temp.Combine("real"),
            Target.Source => Folders.Contains(level) ? src : Path.Combine(src, level is Level.Photo or Level.Representative ? "a.jpg" : "notes.html"),
            _ => Temp.Combine("gone", "nothing-here"),
        };
        if (target == Target.RealFolder)
            Directory.CreateDirectory(linkTarget);
        if (level != Level.Root)
        {
            Assert.Equal("complete", Export(before, output, mode, force: false, sync: false));
            if (Directory.Exists(linkPath))
                Directory.Delete(linkPath, recursive: true);
            else
                File.Delete(linkPath);
        }
        if (Folders.Contains(level))
            Directory.CreateSymbolicLink(linkPath, linkTarget);
        else
            File.CreateSymbolicLink(linkPath, linkTarget);
        var exportFolder = target == Target.RealFolder ? linkTarget : level == Level.Root && target == Target.Source ? src : output;
        var outside = Outside(exportFolder);
        var sourceFiles = FolderSnapshot.Of(src);

        var outcome = run switch
        {
            Run.Rerun => Export(before, output, mode, force: false, sync: false),
            Run.Force => Export(before, output, mode, force: true, sync: false),
            _ => Export(renamed, output, mode, force: false, sync: true),
        };

        if (target == Target.RealFolder)
            Assert.Equal("complete", outcome);
        Assert.Equal(outside, Outside(exportFolder));
        if (exportFolder == src) // exporting into the source folder itself (-Force) may add files there, never change one
            Assert.Empty(sourceFiles.Except(FolderSnapshot.Of(src)));
        else
            Assert.Equal(sourceFiles, FolderSnapshot.Of(src));
        // In -Mode SymbolicLink a photo's link to its source is exactly what the export wrote there: its own, moved by the sync.
        if (!(mode == ExportMode.SymbolicLink && level == Level.Photo && target == Target.Source))
            Assert.Equal(linkTarget, new FileInfo(linkPath).LinkTarget);
        Assert.False(Path.Exists(Temp.Combine("gone")), outcome);
    }

    /// <summary>Every entry under the test's folder but outside <paramref name="exportFolder"/>.</summary>
    private string[] Outside(string exportFolder)
    {
        var prefix = Path.GetRelativePath(Temp.Path, exportFolder).Replace('\\', '/') + "/";
        return FolderSnapshot.Of(Temp.Path).Where(line => !line.Split(' ')[1].StartsWith(prefix, StringComparison.Ordinal)).ToArray();
    }

    /// <summary>What Export-FaceCluster does: the session's actions, then the review page once the export is complete.</summary>
    private static string Export(FaceGroup[] groups, string output, ExportMode mode, bool force, bool sync)
    {
        try
        {
            using var session = ExportSession.Start(ExportPlanner.Plan(groups, output, mode) with { Sync = sync }, force);
            var results = session.Run().ToArray();
            if (!results.Any(r => r.Action.Kind == ExportActionKind.WriteManifest && r.Succeeded))
                return "incomplete";
            ReviewPageWriter.Write(output, groups, session.Plan.Manifest, DateTimeOffset.UnixEpoch);
            return "complete";
        }
        catch (ExportRefusedException e)
        {
            return "refused: " + e.Reason;
        }
        catch (IOException e)
        {
            return "failed: " + e.Message;
        }
    }
}
