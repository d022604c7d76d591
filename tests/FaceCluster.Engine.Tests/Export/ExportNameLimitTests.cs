using System.Text;
using System.Text.RegularExpressions;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Engine.Review;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.Export;

/// <summary>
/// Names at each file-system limit through the real export: every person name and photo file name below is exported,
/// exported again, then synced. Every name written must be valid on Windows, macOS and Linux (no forbidden character,
/// no device name, no trailing dot or space, NFC), fit 255 bytes of UTF-8 and 255 UTF-16 units, differ from every
/// other name in its folder ignoring case and normalisation, and stay clear of the export's own files; both later runs
/// must complete and leave the folder as it was. Checked here by rules written out independently of the engine's.
/// </summary>
public sealed class ExportNameLimitTests : TempDirectoryTest
{
    private const string Forbidden = "<>:\"/\\|?*";
    private static readonly string[] OwnNames = ["index.html", "faces.json", "corrections.json", "review", ".facecluster.lock", "representative.jpg"];

    private static readonly string[] DeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        .. Enumerable.Range(0, 10).SelectMany(i => new[] { $"COM{i}", $"LPT{i}" }),
        "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³",
    ];

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    /// <summary>(case, person name, photo file name). Photo names must be creatable here (ext4: 255 bytes, no '/').</summary>
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        void Person(string @case, string name) => data.Add("person " + @case, name, "IMG_0001.jpg");
        void Photo(string @case, string name) => data.Add("photo " + @case, "Alice", name);

        foreach (int bytes in new[] { 254, 255, 256 })
        {
            Person($"{bytes} ASCII bytes", new string('a', bytes));
            Photo($"{bytes - 1} ASCII bytes", new string('a', bytes - 5) + ".jpg");
        }
        foreach (int count in new[] { 84, 85, 86, 90 })
            Person($"{count} three-byte CJK", new string('漢', count));
        Photo("83 three-byte CJK", new string('漢', 83) + ".jpg");
        foreach (int count in new[] { 63, 64, 70 })
            Person($"{count} four-byte emoji", Repeat("😀", count));
        Photo("62 four-byte emoji", Repeat("😀", 62) + ".jpg");
        foreach (int count in new[] { 85, 86 })
            Person($"{count} combining sequences", Repeat("x\u0301", count));
        Photo("83 combining sequences", Repeat("x\u0301", 83) + ".jpg");
        foreach (int count in new[] { 10, 11 })
            Person($"{count} ZWJ families", Repeat("👨‍👩‍👧‍👦", count));
        Photo("10 ZWJ families", Repeat("👨‍👩‍👧‍👦", 10) + ".jpg");
        Person("a then 90 CJK", "a" + new string('漢', 90));
        Person("NFD", "Zoe\u0308");
        Person("NFC", "Zoë");
        Photo("NFD", "cafe\u0301.jpg");
        foreach (string device in DeviceNames)
        {
            Person("device " + device, device);
            Person("device lower " + device, device.ToLowerInvariant() + ".txt");
            Photo("device " + device, device + ".jpg");
        }
        foreach (char c in Forbidden + "\t\u001f\u007f")
        {
            Person($"char U+{(int)c:X4}", $"a{c}b");
            if (c != '/')
                Photo($"char U+{(int)c:X4}", $"a{c}b.jpg");
        }
        foreach (string own in (string[])[.. OwnNames, FaceGroup.DoubtfulLabel, ".fc-tmp-0123", "review.css", "thumbnails"])
        {
            Person("own " + own, own);
            Person("own upper " + own, own.ToUpperInvariant());
            Photo("own " + own, own);
            Photo("own upper " + own, own.ToUpperInvariant());
        }
        Person("trailing dot", "Bob.");
        Person("trailing space", "Bob ");
        Person("dots", "..");
        Photo("trailing dot", "photo.jpg.");
        Photo("trailing space", "photo.jpg ");
        Photo("dots", "..jpg");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_name_the_export_writes_fits_every_file_system_and_a_rerun_and_a_sync_complete(string @case, string person, string photo)
    {
        // The person twice (the second in upper case, so a numbered folder), the photo from two folders in each (so a
        // numbered photo: as it is, in NFD, in upper case), and one in the doubtful folder.
        string[] names = [photo, Creatable(photo.Normalize(NormalizationForm.FormD), photo), Creatable(photo.ToUpperInvariant(), photo)];
        string[] sources = names.Select((name, i) => TestJpeg.WritePhoto(Temp.Combine("src", "abc"[i].ToString(), name), i)).ToArray();
        var labels = PersonFolderName.Assign([(0, person), (1, person.ToUpperInvariant())]);
        FaceGroup[] groups =
        [
            Named(Cluster(0, Face(sources[0]), Face(sources[1])), person, labels[0]),
            Named(Cluster(1, Face(sources[1], 1), Face(sources[2])), person.ToUpperInvariant(), labels[1]),
            Doubtful(Face(sources[0], 1), Face(sources[2], 1)),
        ];
        var output = Temp.Combine("out");

        Export(groups, output, sync: false);
        var first = FolderSnapshot.Of(output);
        AssertPortable(output, @case);
        Assert.Equal(
            new[] { FaceGroup.DoubtfulLabel, ".facecluster.lock", "faces.json", "index.html", labels[0], labels[1], "review" }.Order(StringComparer.OrdinalIgnoreCase),
            Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.OrdinalIgnoreCase));
        Assert.All(Directory.EnumerateFiles(Path.Combine(output, "review"), "*", SearchOption.AllDirectories),
            f => Assert.True(f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal)
                || f.EndsWith(".js", StringComparison.Ordinal) || Path.GetFileName(f) == NearestPeopleState.FileName
                || Path.GetFileName(f) == ReviewPageState.FileName
                || Path.GetDirectoryName(f)!.EndsWith("thumbnails", StringComparison.Ordinal), f));

        Export(groups, output, sync: false);
        Assert.Equal(first, FolderSnapshot.Of(output));
        Export(groups, output, sync: true);
        Assert.Equal(first, FolderSnapshot.Of(output));
    }

    [Fact]
    public void A_sync_heals_an_earlier_export_whose_person_folder_and_photo_name_it_would_no_longer_write()
    {
        // As an earlier version exported it: person 0 named index.html in folder index.html, a photo named nul.jpg.
        string[] sources = [TestJpeg.WritePhoto(Temp.Combine("src", "nul.jpg"), 0), TestJpeg.WritePhoto(Temp.Combine("src", "c.jpg"), 1)];
        var output = Temp.Combine("out");
        FaceGroup[] before = [Cluster(0, Face(sources[0]), Face(sources[1]))];
        Export(before, output, sync: false);
        File.Delete(Path.Combine(output, "index.html")); // the review page could not be written beside the folder
        Directory.Move(Path.Combine(output, "cluster_0"), Path.Combine(output, "index.html"));
        File.Move(Path.Combine(output, "index.html", "nul_.jpg"), Path.Combine(output, "index.html", "nul.jpg"));
        var manifest = Path.Combine(output, FaceManifest.FileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("cluster_0/nul_.jpg", "cluster_0/nul.jpg", StringComparison.Ordinal)
            .Replace("\"cluster_0", "\"index.html", StringComparison.Ordinal));
        Assert.Equal("index.html", FaceManifest.Read(manifest).Clusters[0].Folder);

        FaceGroup[] after = [Named(before[0], "index.html", PersonFolderName.Assign([(0, "index.html")])[0])];
        var plan = ExportPlanner.Plan(after, output, ExportMode.Copy) with { Sync = true };
        ExportSyncSummary summary;
        using (var session = ExportSession.Start(plan, force: false))
        {
            Assert.All(session.Run(), r => Assert.True(r.Outcome is ExportOutcome.Done or ExportOutcome.AlreadyDone, $"{r.Action}: {r.Outcome}: {r.Message}"));
            summary = session.Summarize();
        }
        ReviewPageWriter.Write(output, after, plan.Manifest, DateTimeOffset.UnixEpoch);

        Assert.Equal((1, 2, 1), (summary.Added, summary.Moved, summary.Removed)); // photos moved, the crop written anew
        var reference = Temp.Combine("reference");
        Export(after, reference, sync: false);
        // Pages name their export folder, and the list of pages the review keeps holds their times; everything else is
        // the same as a fresh export's.
        static IEnumerable<string> NoPages(string folder) => FolderSnapshot.Of(folder).Where(l => !Regex.IsMatch(l, @"^F .*(\.html|/pages\.json) [0-9A-F]{64}$"));
        Assert.Equal(NoPages(reference), NoPages(output));
        Assert.True(File.Exists(Path.Combine(output, "index.html")));
        Assert.True(File.Exists(Path.Combine(output, "index.html (2)", "nul_.jpg")));
    }

    /// <summary><paramref name="variant"/> where this file system can hold it, else <paramref name="name"/>.</summary>
    private static string Creatable(string variant, string name) => Strict.GetByteCount(variant) <= 255 ? variant : name;

    private static FaceGroup Named(FaceGroup group, string name, string label) => new()
    {
        Id = group.Id, Name = name, Label = label, Members = group.Members, Representative = group.Representative,
    };

    private static void Export(FaceGroup[] groups, string output, bool sync)
    {
        var plan = ExportPlanner.Plan(groups, output, ExportMode.Copy) with { Sync = sync };
        Assert.All(PlanRunner.Run(plan), r => Assert.True(r.Outcome is ExportOutcome.Done or ExportOutcome.AlreadyDone, $"{r.Action}: {r.Outcome}: {r.Message}"));
        var review = ReviewPageWriter.Write(output, groups, plan.Manifest, DateTimeOffset.UnixEpoch);
        Assert.Empty(review.Failures);
    }

    /// <summary>Every entry under <paramref name="output"/> checked against each file system's rules.</summary>
    private static void AssertPortable(string output, string @case)
    {
        foreach (string folder in Directory.EnumerateDirectories(output, "*", SearchOption.AllDirectories).Prepend(output))
        {
            var names = Directory.EnumerateFileSystemEntries(folder).Select(e => Path.GetFileName(e)!).ToArray();
            foreach (string name in names)
            {
                string where = $"{@case}: '{name}' in '{Path.GetRelativePath(output, folder)}'";
                int bytes = Strict.GetByteCount(name); // throws on a lone surrogate
                Assert.True(bytes <= 255, $"{where}: {bytes} bytes");
                Assert.True(name.Length <= 255, $"{where}: {name.Length} UTF-16 units");
                Assert.True(name.IsNormalized(NormalizationForm.FormC), $"{where}: not NFC");
                Assert.False(name.Any(c => c < ' ' || c == '\u007f' || Forbidden.Contains(c)), $"{where}: forbidden character");
                Assert.False(name.EndsWith('.') || name.EndsWith(' '), $"{where}: trailing dot or space");
                string stem = name.Split('.')[0].TrimEnd(' ');
                Assert.False(DeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase), $"{where}: device name");
            }

            var clashes = names.GroupBy(n => n.Normalize(NormalizationForm.FormC).ToUpperInvariant()).Where(g => g.Count() > 1).Select(g => string.Join(" | ", g));
            Assert.True(!clashes.Any(), $"{@case}: names in '{folder}' that one file system takes for one: {string.Join("; ", clashes)}");
        }

        var manifest = FaceManifest.Read(Path.Combine(output, FaceManifest.FileName));
        foreach (var cluster in manifest.Clusters.Where(c => c.Id >= 0))
        {
            Assert.DoesNotContain(cluster.Folder, (string[])[.. OwnNames, FaceGroup.DoubtfulLabel], StringComparer.OrdinalIgnoreCase);
            Assert.False(cluster.Folder.StartsWith('.'), $"{@case}: '{cluster.Folder}' looks like the export's hidden files");
        }
    }
}
