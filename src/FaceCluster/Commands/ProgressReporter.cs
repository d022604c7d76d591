using System.Diagnostics;
using System.Management.Automation;

namespace FaceCluster.Commands;

/// <summary>Writes "n of total" progress for a cmdlet, at most a few times a second.</summary>
internal sealed class ProgressReporter
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _record;
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
    private bool _written;

    public ProgressReporter(Cmdlet cmdlet, int activityId, string activity)
    {
        _cmdlet = cmdlet;
        _record = new ProgressRecord(activityId, activity, "Starting");
    }

    public void Report(int done, int total, string? current = null)
    {
        if (_written && _sinceLast.Elapsed < Interval)
        {
            return;
        }

        _record.StatusDescription = $"{done} of {total}";
        _record.CurrentOperation = current ?? string.Empty;
        _record.PercentComplete = total > 0 ? Math.Min(100, (int)(100L * done / total)) : -1;
        _record.RecordType = ProgressRecordType.Processing;
        _cmdlet.WriteProgress(_record);
        _written = true;
        _sinceLast.Restart();
    }

    public void Complete()
    {
        if (!_written)
        {
            return;
        }

        _record.RecordType = ProgressRecordType.Completed;
        _cmdlet.WriteProgress(_record);
    }
}
