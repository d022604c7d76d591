using System.Diagnostics;

namespace FaceCluster.Engine.Export;

/// <summary>
/// The exclusive lock an export holds on its output folder from before it looks at the folder until it is done: the
/// file <c>.facecluster.lock</c> in the folder, opened with <see cref="FileShare.None"/> (a sharing lock on Windows,
/// <c>flock</c> on Linux and macOS), so the operating system releases it when the process dies. The file itself is
/// left in place: deleting it would let a waiting export lock a file nobody else can see.
/// </summary>
public sealed class ExportLock : IDisposable
{
    public const string FileName = ".facecluster.lock";

    /// <summary>How long <see cref="Acquire"/> waits for another export by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _file;

    private ExportLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="outputDirectory"/> (which must exist), waiting up to
    /// <paramref name="timeout"/> while another export holds it.</summary>
    /// <exception cref="ExportRefusedException">Still held by another export after <paramref name="timeout"/>
    /// (<see cref="ExportRefusal.Locked"/>).</exception>
    /// <exception cref="IOException">The lock file is a link (<see cref="ExportLinks"/>): it is never opened through.</exception>
    public static ExportLock Acquire(string outputDirectory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(outputDirectory, FileName);
        if (ExportLinks.IsLink(path))
            throw new IOException(ExportLinks.LeftAlone(path, "the export's lock file") + " Nothing was written; remove the link and run the export again.");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new ExportLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                if (waited.Elapsed >= timeout)
                    throw new ExportRefusedException(ExportRefusal.Locked, outputDirectory,
                        $"Another export is writing to '{outputDirectory}' (it holds '{path}'); waited {timeout.TotalSeconds:0.#} s. Run this export again when that one has finished.", e);
                if (cancellationToken.WaitHandle.WaitOne(RetryInterval))
                    cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>The open failed because another handle holds the file exclusively. .NET gives no portable test, so
    /// this reads the code it reports: ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows, and on Unix the
    /// errno of a refused <c>flock</c> (EWOULDBLOCK: 11 on Linux, 35 on macOS and the BSDs).</summary>
    private static bool IsHeldElsewhere(IOException e)
    {
        if (OperatingSystem.IsWindows())
            return (e.HResult & 0xFFFF) is 32 or 33;
        return e.HResult == (OperatingSystem.IsLinux() ? 11 : 35);
    }
}
