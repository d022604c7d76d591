using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Runs independent durable file writes (<see cref="AtomicFile"/>) a few at a time: each one's flush to disk mostly
/// waits on the disk, and the file system commits concurrent flushes together. Results come back in the order of the
/// input (PLINQ, ordered), so what reports them sees the same sequence as one write after another.
/// </summary>
internal static class ConcurrentWrites
{
    /// <summary>How many files are written at once (not tuned: 8 against one at a time is in docs/benchmarks.md,
    /// "Concurrent durable writes in the sync").</summary>
    public const int Degree = 8;

    /// <summary>Applies <paramref name="write"/> to each item, <see cref="Degree"/> at a time, yielding the results in
    /// the items' order as soon as each and all before it are done. Leaving the enumeration early (or an exception)
    /// waits for the writes in flight, so none goes on afterwards.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; writes not yet started are not started.</exception>
    public static IEnumerable<TResult> InOrder<T, TResult>(IList<T> items, Func<T, TResult> write, CancellationToken cancellationToken)
    {
        using var results = Partitioner.Create(items, loadBalance: true).AsParallel().AsOrdered()
            .WithDegreeOfParallelism(Degree).WithCancellation(cancellationToken).WithMergeOptions(ParallelMergeOptions.NotBuffered)
            .Select(write).GetEnumerator();
        while (MoveNext(results))
            yield return results.Current;
    }

    /// <summary>Rethrows a write's own exception rather than PLINQ's AggregateException around it.</summary>
    private static bool MoveNext<TResult>(IEnumerator<TResult> results)
    {
        try
        {
            return results.MoveNext();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            throw; // not reached
        }
    }
}
