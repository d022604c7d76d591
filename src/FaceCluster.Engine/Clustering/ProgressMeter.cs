namespace FaceCluster.Engine.Clustering;

/// <summary>
/// Turns work units done (from any thread) into a monotone 0..1 progress, reported at most every 0.5%.
/// The total may grow (a second pass); the reported value never goes back.
/// </summary>
internal sealed class ProgressMeter(IProgress<double>? progress, long total)
{
    private readonly object _gate = new();
    private long _total = Math.Max(1, total);
    private long _done;
    private double _last;

    public void ExtendTotal(long more)
    {
        lock (_gate)
        {
            _total += more;
        }
    }

    public void Add(long units)
    {
        if (progress is null)
        {
            return;
        }

        double value;
        lock (_gate)
        {
            _done += units;
            value = Math.Min(1.0, (double)_done / _total);
            if (value < _last + 0.005)
            {
                return;
            }

            _last = value;
            // Inside the lock: two threads reporting outside it could hand the values over out of order.
            progress.Report(value);
        }
    }
}
