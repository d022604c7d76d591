namespace FaceCluster.Engine.Export;

/// <summary>
/// Writes a file so that it never exists half-written under its final name: the content goes to a hidden temporary
/// (<c>.fc-tmp-&lt;guid&gt;</c>) in the destination's own folder, is flushed to disk, and only then moved onto the final
/// name. A crash leaves at most a stale temporary, which <see cref="ExportExecutor.CleanStaleTemporaries"/> removes.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Name prefix of every temporary the export writes.</summary>
    public const string TempPrefix = ".fc-tmp-";

    /// <param name="destination">Final path.</param>
    /// <param name="writeContent">Writes the content into the temporary's stream; may throw OperationCanceledException.</param>
    /// <param name="overwrite">False: the final move fails with IOException if the destination appeared meanwhile.</param>
    /// <param name="beforeMove">Called with the closed temporary's path just before the move (e.g. to set timestamps).</param>
    public static void Write(string destination, Action<Stream> writeContent, bool overwrite, Action<string>? beforeMove = null) =>
        WriteIf(destination, writeContent, overwrite, temp =>
        {
            beforeMove?.Invoke(temp);
            return true;
        });

    /// <summary><see cref="Write"/>, where <paramref name="move"/>, given the closed temporary's path, decides whether it
    /// goes onto the final name: where it says false the temporary is removed and the destination left as it is (a
    /// content written as it is made, with no copy in memory to compare before writing).</summary>
    /// <returns>Whether the temporary was moved onto <paramref name="destination"/>.</returns>
    public static bool WriteIf(string destination, Action<Stream> writeContent, bool overwrite, Func<string, bool> move)
    {
        var directory = Path.GetDirectoryName(destination) ?? throw new ArgumentException("The destination has no folder.", nameof(destination));
        var temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }
            if (!move(temp))
            {
                TryDelete(temp);
                return false;
            }
            File.Move(temp, destination, overwrite);
            return true;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Replaces <paramref name="destination"/> atomically with what <paramref name="create"/> makes at a
    /// temporary path of its folder (a hard or symbolic link).</summary>
    public static void Replace(string destination, Action<string> create)
    {
        var directory = Path.GetDirectoryName(destination) ?? throw new ArgumentException("The destination has no folder.", nameof(destination));
        var temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            create(temp);
            File.Move(temp, destination, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> atomically.</summary>
    public static void WriteAllBytes(string destination, ReadOnlyMemory<byte> bytes, bool overwrite) =>
        Write(destination, stream => stream.Write(bytes.Span), overwrite);

    public static bool IsTemporaryName(string fileName) => fileName.StartsWith(TempPrefix, StringComparison.Ordinal);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for CleanStaleTemporaries.
        }
        catch (UnauthorizedAccessException)
        {
            // Left for CleanStaleTemporaries.
        }
    }
}
