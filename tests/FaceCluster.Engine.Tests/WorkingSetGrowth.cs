using System.Diagnostics;

namespace FaceCluster.Engine.Tests;

/// <summary>
/// How far this process's working set rose above its size at construction, sampled every millisecond on a thread
/// of its own until <see cref="Stop"/>. Unlike <see cref="Process.PeakWorkingSet64"/>, which keeps the peak of the
/// process's whole life, it sees only what happens meanwhile; it counts every thread's memory, so measure in the
/// <see cref="MemoryMeasurementCollection"/>, where no other test runs at the same time.
/// </summary>
internal sealed class WorkingSetGrowth : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly long _start;
    private readonly Thread _sampler;
    private long _peak;
    private volatile bool _stopping;

    public WorkingSetGrowth()
    {
        _start = _peak = _process.WorkingSet64;
        _sampler = new Thread(Sample) { IsBackground = true, Name = nameof(WorkingSetGrowth) };
        _sampler.Start();
    }

    /// <summary>Stops sampling and returns the largest rise seen, in bytes.</summary>
    public long Stop()
    {
        _stopping = true;
        _sampler.Join();
        return _peak - _start;
    }

    public void Dispose()
    {
        if (!_stopping)
        {
            Stop();
        }

        _process.Dispose();
    }

    private void Sample()
    {
        while (!_stopping)
        {
            _process.Refresh();
            _peak = Math.Max(_peak, _process.WorkingSet64);
            Thread.Sleep(1);
        }
    }
}
