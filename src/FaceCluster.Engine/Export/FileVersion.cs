using System.Runtime.InteropServices;

namespace FaceCluster.Engine.Export;

/// <summary>
/// One state of a file, told without reading it: which file the path names (<see cref="FileIdentity"/>: a rewrite
/// through a temporary file, as <see cref="AtomicFile"/> does, makes a new one), its length, last write time and its
/// status change time, which every write and every change of the write time moves and no program can set
/// back. .NET reads no change time, so all of it comes from one <c>statx(2)</c> by hand (times in nanoseconds). Linux
/// only: elsewhere there is no version (a file whose version is unknown is taken as changed).
/// </summary>
internal readonly record struct FileVersion(FileIdentity Identity, long Length, long Modified, long Changed)
{
    private const uint StatxMtime = 0x40;
    private const uint StatxCtime = 0x80;
    private const uint StatxSizeField = 0x200;
    private const int StatxMaskOffset = 0;
    private const int StatxSizeOffset = 40;
    private const int StatxCtimeOffset = 96;
    private const int StatxMtimeOffset = 112;

    /// <summary>The version of the file <paramref name="path"/> names (following symbolic links), or null where there is
    /// none, it cannot be read, or the platform is not Linux.</summary>
    public static FileVersion? TryGet(string path)
    {
        try
        {
            return OperatingSystem.IsLinux() ? TryGetLinux(path) : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static unsafe FileVersion? TryGetLinux(string path)
    {
        const uint wanted = FileIdentity.StatxIno | StatxSizeField | StatxMtime | StatxCtime;
        var buffer = stackalloc byte[FileIdentity.StatxSize];
        if (FileIdentity.Statx(FileIdentity.AtFdCwd, path, 0, wanted, buffer) != 0)
            return null;
        var span = new ReadOnlySpan<byte>(buffer, FileIdentity.StatxSize);
        if ((MemoryMarshal.Read<uint>(span[StatxMaskOffset..]) & wanted) != wanted)
            return null;
        return new FileVersion(FileIdentity.FromStatx(span), MemoryMarshal.Read<long>(span[StatxSizeOffset..]),
            Nanoseconds(span[StatxMtimeOffset..]), Nanoseconds(span[StatxCtimeOffset..]));
    }

    /// <summary>A <c>struct statx_timestamp</c> (seconds, then nanoseconds) in nanoseconds since 1970.</summary>
    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        MemoryMarshal.Read<long>(timestamp) * 1_000_000_000 + MemoryMarshal.Read<uint>(timestamp[8..]);
}
