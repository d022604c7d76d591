using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;
using FaceCluster.Engine.Tests.Export;
using FaceCluster.Model;
using static FaceCluster.Engine.Tests.Export.TestFaces;

namespace FaceCluster.Engine.Tests.People;

/// <summary>
/// Every writer of an export's folder against every other, made deterministic: the first (the holder) is stopped half
/// way (an export or a correction holding the export's lock; a clustering with -Previous between its read of
/// corrections.json and its write), the second (the contender) runs to the end, then the holder finishes. Each pair
/// ends either in a clean refusal (<see cref="ExportRefusal.Locked"/>, the folder untouched, the contender's retry
/// then lands) or in a merge; never in a lost correction or a mixed folder.
/// </summary>
public sealed class ExportWritersRaceTests : TempDirectoryTest
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private readonly string _output;
    private readonly string[] _photos;
    private readonly FaceGroup[] _groups;

    public ExportWritersRaceTests()
    {
        _output = Temp.Combine("out");
        _photos = Enumerable.Range(0, 7).Select(i => TestJpeg.WritePhoto(Temp.Combine("src", $"p{i}.jpg"), i)).ToArray();
        _groups =
        [
            Cluster(0, Face(_photos[0]), Face(_photos[1]), Face(_photos[2])),
            Cluster(1, Face(_photos[3]), Face(_photos[4])),
            Cluster(2, Face(_photos[5]), Face(_photos[6])),
        ];
        PlanRunner.AssertAll(PlanRunner.Run(Plan()), ExportOutcome.Done);
    }

    public enum Writer
    {
        /// <summary>Export-FaceCluster (the same clustering again).</summary>
        Export,

        /// <summary>Rename-FaceCluster.</summary>
        Rename,

        /// <summary>Merge-FaceCluster.</summary>
        Merge,

        /// <summary>Remove-FaceClusterMember.</summary>
        Remove,

        /// <summary>Invoke-FaceCluster -Previous, which records a photo deleted from the folder.</summary>
        Cluster,
    }

    public static TheoryData<Writer, Writer> Pairs()
    {
        var pairs = new TheoryData<Writer, Writer>();
        foreach (Writer holder in Enum.GetValues<Writer>())
        {
            foreach (Writer contender in Enum.GetValues<Writer>())
            {
                pairs.Add(holder, contender);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_writer_racing_another_is_refused_cleanly_or_merged(Writer holder, Writer contender)
    {
        IRun first = Begin(holder, contender: false);
        IRun second = Begin(contender, contender: true);
        if (holder == Writer.Cluster)
        {
            // A clustering holds no lock while it clusters: the contender lands, and the clustering's write merges.
            second.Finish();
            first.Finish();
        }
        else
        {
            string[] before = Snapshot();
            var refused = Assert.Throws<ExportRefusedException>(second.Finish);
            Assert.Equal(ExportRefusal.Locked, refused.Reason);
            Assert.Equal(before, Snapshot());
            first.Finish();
            second.Finish();
        }

        first.AssertDone();
        second.AssertDone();
        if (holder == Writer.Cluster && contender != Writer.Export)
        {
            Assert.Contains(((ClusterRun)first).Notices, n => n.Code == "CorrectionsChangedDuringRun");
        }

        Assert.True(FaceManifest.Read(Path.Combine(_output, FaceManifest.FileName)).Complete);
    }

    private ExportPlan Plan() => ExportPlanner.Plan(_groups, _output, ExportMode.Copy);

    private PersonCorrections Saved() => PersonCorrections.Load(_output);

    /// <summary>Every file of the export but the lock (which the holder has open) with its content.</summary>
    private string[] Snapshot() => Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories)
        .Where(f => Path.GetFileName(f) != ExportLock.FileName)
        .Select(f => $"{Path.GetRelativePath(_output, f)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}")
        .Order(StringComparer.Ordinal).ToArray();

    /// <summary>Starts <paramref name="writer"/>: up to the point where it holds the lock (or has read corrections.json).</summary>
    private IRun Begin(Writer writer, bool contender) => writer switch
    {
        Writer.Export => new ExportRun(this, contender),
        Writer.Cluster => new ClusterRun(this, contender),
        _ => new CorrectionRun(this, writer, contender),
    };

    private interface IRun
    {
        /// <summary>Runs to the end (for a contender: its whole run, from taking the lock).</summary>
        void Finish();

        /// <summary>Asserts that what it wrote is in the folder.</summary>
        void AssertDone();
    }

    private sealed class ExportRun(ExportWritersRaceTests test, bool contender) : IRun
    {
        private readonly ExportSession? _session = contender ? null : ExportSession.Start(test.Plan(), force: false, NoWait);
        private bool _done;

        public void Finish()
        {
            using ExportSession session = _session ?? ExportSession.Start(test.Plan(), force: false, NoWait);
            Assert.All(session.Run(), r => Assert.True(r.Succeeded, r.Message));
            _done = true;
        }

        public void AssertDone() => Assert.True(_done);
    }

    /// <summary>A correction cmdlet: the holder renames person 1, merges 2 into 0, takes photo 0 out of 0; the contender
    /// renames 2, merges 1 into 0, takes photo 3 out of 1.</summary>
    private sealed class CorrectionRun : IRun
    {
        private readonly ExportWritersRaceTests _test;
        private readonly Writer _writer;
        private readonly bool _contender;
        private CorrectionBook? _book;

        public CorrectionRun(ExportWritersRaceTests test, Writer writer, bool contender)
        {
            (_test, _writer, _contender) = (test, writer, contender);
            if (!contender)
            {
                _book = Correct();
            }
        }

        public void Finish()
        {
            using CorrectionBook book = _book ?? Correct();
            _book = null;
            book.Save();
        }

        public void AssertDone()
        {
            PersonCorrections saved = _test.Saved();
            switch (_writer)
            {
                case Writer.Rename:
                    Assert.Contains(_contender ? new PersonNameCorrection(2, "Cy") : new PersonNameCorrection(1, "Bob"), saved.Names.Select(n => n with { Made = null }));
                    break;
                case Writer.Merge:
                    Assert.Contains(_contender ? new PersonMergeCorrection(1, 0) : new PersonMergeCorrection(2, 0), saved.Merges.Select(m => m with { Made = null }));
                    break;
                default:
                    Assert.Contains(_contender ? new FaceRemovalCorrection(1, _test._photos[3], 0) : new FaceRemovalCorrection(0, _test._photos[0], 0),
                        saved.Removals.Select(r => r with { Made = null, ContentKey = null }));
                    break;
            }
        }

        private CorrectionBook Correct()
        {
            CorrectionBook book = CorrectionBook.Open(_test._output, NoWait);
            switch (_writer)
            {
                case Writer.Rename:
                    book.Rename(_contender ? 2 : 1, _contender ? "Cy" : "Bob");
                    break;
                case Writer.Merge:
                    book.Merge(_contender ? 1 : 2, 0);
                    break;
                default:
                    book.Remove(_contender ? 1 : 0, _test._photos[_contender ? 3 : 0], null);
                    break;
            }

            return book;
        }
    }

    /// <summary>Invoke-FaceCluster -Previous after a photo was deleted from a person's folder (the holder: photo 1 from
    /// person 0; the contender: photo 4 from person 1): reads the export, clusters, records the deletion.</summary>
    private sealed class ClusterRun : IRun
    {
        private readonly ExportWritersRaceTests _test;
        private readonly string _deleted;
        private readonly int _person;
        private readonly PreviousExport _previous;
        private readonly PersonCorrections _concluded;

        public ClusterRun(ExportWritersRaceTests test, bool contender)
        {
            _test = test;
            (_person, _deleted) = contender ? (1, test._photos[4]) : (0, test._photos[1]);
            File.Delete(Path.Combine(test._output, FaceGroup.ClusterLabel(_person), Path.GetFileName(_deleted)));
            _previous = PreviousExport.Load(test._output);
            _concluded = _previous.Conclude(test._groups, nextPersonId: 3, Notices);
        }

        public List<PeopleNotice> Notices { get; } = [];

        public void Finish() => _previous.Save(_concluded, Notices, NoWait);

        public void AssertDone()
        {
            PersonCorrections saved = _test.Saved();
            Assert.Contains(new FaceRemovalCorrection(_person, _deleted, 0), saved.Removals);
            Assert.Equal(3, saved.NextPersonId);
        }
    }
}
