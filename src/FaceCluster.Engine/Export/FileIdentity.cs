using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Which file a path names on disk (device and inode / volume serial and file index): two paths with the same identity
/// are hard links of one file. .NET has no API for this, so it is read by hand: <c>statx(2)</c> on Linux (its struct
/// layout is the same on every architecture) and <c>GetFileInformationByHandle</c> on Windows. Elsewhere (macOS) it is
/// unavailable and <see cref="TryGet"/> returns null.
/// </summary>
internal readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int StatxInoOffset = 32;
    private const int StatxDevMajorOffset = 136;
    private const int StatxDevMinorOffset = 140;
    private const int ByHandleInfoSize = 52;
    private const int ByHandleVolumeSerialOffset = 28;
    private const int ByHandleIndexHighOffset = 44;
    private const int ByHandleIndexLowOffset = 48;

    /// <summary>The identity of the file <paramref name="path"/> names (following symbolic links), or null where the
    /// platform cannot tell or the file cannot be read.</summary>
    public static FileIdentity? TryGet(string path)
    {
        try
        {
            if (OperatingSystem.IsLinux())
                return TryGetLinux(path);
            if (OperatingSystem.IsWindows())
                return TryGetWindows(path);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or IOException or UnauthorizedAccessException)
        {
            // Old C library without statx, or the file vanished: unknown.
        }
        return null;
    }

    private static unsafe FileIdentity? TryGetLinux(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0)
            return null;
        var span = new ReadOnlySpan<byte>(buffer, StatxSize);
        // statx fields are in native byte order.
        var major = MemoryMarshal.Read<uint>(span[StatxDevMajorOffset..]);
        var minor = MemoryMarshal.Read<uint>(span[StatxDevMinorOffset..]);
        var inode = MemoryMarshal.Read<ulong>(span[StatxInoOffset..]);
        return new FileIdentity(((ulong)major << 32) | minor, inode);
    }

    private static unsafe FileIdentity? TryGetWindows(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = stackalloc byte[ByHandleInfoSize];
        if (!GetFileInformationByHandle(handle, buffer))
            return null;
        var span = new ReadOnlySpan<byte>(buffer, ByHandleInfoSize);
        var serial = BinaryPrimitives.ReadUInt32LittleEndian(span[ByHandleVolumeSerialOffset..]);
        var high = BinaryPrimitives.ReadUInt32LittleEndian(span[ByHandleIndexHighOffset..]);
        var low = BinaryPrimitives.ReadUInt32LittleEndian(span[ByHandleIndexLowOffset..]);
        return new FileIdentity(serial, ((ulong)high << 32) | low);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool GetFileInformationByHandle(SafeFileHandle file, byte* information);
}
