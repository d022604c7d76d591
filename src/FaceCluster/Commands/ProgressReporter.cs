using System.Diagnostics;
using System.Management.Automation;

namespace FaceCluster.Commands;

/// <summary>
/// Writes "n of total" progress for a cmdlet (or "n files" with no percentage when the total is unknown), at most a
/// few times a second. Each write is a new ProgressRecord: hosts may keep the ones they receive.
/// </summary>
internal sealed class ProgressReporter
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Cmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
    private ProgressRecord? _last;

    public ProgressReporter(Cmdlet cmdlet, int activityId, string activity)
    {
        _cmdlet = cmdlet;
        _activityId = activityId;
        _activity = activity;
    }

    /// <param name="done">Items finished.</param>
    /// <param name="total">Items in all, or null when not known yet (input still streaming in).</param>
    /// <param name="current">What is being worked on.</param>
    /// <param name="unit">What <paramref name="done"/> counts, for the status without a total.</param>
    public void Report(int done, int? total, string? current = null, string unit = "files")
    {
        if (_last is not null && _sinceLast.Elapsed < Interval)
        {
            return;
        }

        _last = new ProgressRecord(_activityId, _activity, total is { } all ? $"{done} of {all}" : $"{done} {unit}")
        {
            CurrentOperation = current ?? string.Empty,
            PercentComplete = total is > 0 ? Math.Min(100, (int)(100L * done / total.Value)) : -1,
            RecordType = ProgressRecordType.Processing,
        };
        _cmdlet.WriteProgress(_last);
        _sinceLast.Restart();
    }

    public void Complete()
    {
        if (_last is null)
        {
            return;
        }

        _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, _last.StatusDescription)
        {
            CurrentOperation = _last.CurrentOperation,
            PercentComplete = _last.PercentComplete,
            RecordType = ProgressRecordType.Completed,
        });
    }
}
