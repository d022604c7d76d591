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

    /// <summary>
    /// Runs the engine on a worker thread while this (pipeline) thread writes the progress it reports:
    /// WriteProgress may only be called from the pipeline thread.
    /// </summary>
    public T RunOnWorker<T>(Func<T> work)
    {
        Task<T> task = Task.Run(work);
        while (Task.WaitAny(new Task[] { task }, 200) < 0)
        {
            Flush();
        }

        Flush();
        return task.GetAwaiter().GetResult();
    }
}
