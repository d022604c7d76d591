namespace FaceCluster.Commands;

/// <summary>
/// Receives progress from engine worker threads and hands the latest value to the pipeline thread on
/// <see cref="Flush"/>: cmdlets may only write progress from the pipeline thread.
/// </summary>
internal sealed class SynchronousProgress : IProgress<double>
{
    private readonly Action<double> _onPipelineThread;
    private double _latest = double.NaN;

    public SynchronousProgress(Action<double> onPipelineThread) => _onPipelineThread = onPipelineThread;

    public void Report(double value) => Interlocked.Exchange(ref _latest, value);

    public void Flush()
    {
        double value = Interlocked.Exchange(ref _latest, double.NaN);
        if (!double.IsNaN(value))
        {
            _onPipelineThread(value);
        }
    }
}
