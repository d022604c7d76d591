using System.Globalization;

namespace FaceCluster.Engine.Store;

/// <summary>
/// Which other processes hold a POSIX lock (the kind SQLite takes) on some files, read from Linux's /proc/locks
/// (each lock's process id and device:inode), each with its name from /proc/PID/comm. Elsewhere, or when /proc
/// cannot be read, none are known.
/// </summary>
internal static class FileLockHolders
{
    /// <summary>"process 1234 (pwsh), process 5678 (python3)", or null when none is known.</summary>
    public static string? Describe(params string[] paths)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var files = paths.Select(PhotoFileStamp.Of).OfType<PhotoFileStamp>().Select(s => (Major(s.Device), Minor(s.Device), s.FileId)).ToHashSet();
            var holders = new SortedSet<int>();
            foreach (string line in File.ReadLines("/proc/locks"))
            {
                // "1: POSIX  ADVISORY  WRITE 1234 fe:00:11788516 120 120"; a waiter's line has "->" after the number.
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int at = Array.FindIndex(fields, f => f.Count(c => c == ':') == 2);
                string[] id = at < 1 ? [] : fields[at].Split(':');
                if (id.Length != 3
                    || !long.TryParse(id[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long major)
                    || !long.TryParse(id[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long minor)
                    || !long.TryParse(id[2], CultureInfo.InvariantCulture, out long inode)
                    || !int.TryParse(fields[at - 1], CultureInfo.InvariantCulture, out int pid))
                {
                    continue;
                }

                if (files.Contains((major, minor, inode)) && pid > 0 && pid != Environment.ProcessId)
                {
                    holders.Add(pid);
                }
            }

            return holders.Count == 0 ? null : string.Join(", ", holders.Select(pid => $"process {pid} ({Name(pid)})"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // glibc's gnu_dev_major and gnu_dev_minor.
    private static long Major(long device) => ((device >> 32) & 0xFFFFF000) | ((device >> 8) & 0xFFF);

    private static long Minor(long device) => ((device >> 12) & 0xFFFFFF00) | (device & 0xFF);

    private static string Name(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "ended";
        }
    }
}
