using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FaceCluster.Engine.Store;

/// <summary>
/// What the file system says about a regular file without reading it: its size, modification time, status change
/// time and its identity on its volume. A file whose stamp is as last seen is taken to hold the same bytes. The
/// modification time alone is not enough: editors restore it (exiftool -P, touch -r, File.SetLastWriteTimeUtc), but
/// no program can set the change time back (it moves on any write, rename or permission change), and moving another
/// file over the path changes the identity. Times are in the platform's own units, comparable only with each other.
/// .NET exposes neither the change time nor the identity, so they are read by hand:
/// <list type="bullet">
/// <item>Linux, macOS and other Unix: <c>SystemNative_Stat</c> of libSystem.Native, the runtime's own stat(2) shim
/// that .NET's file APIs use, shipped with every .NET on Unix and with one struct layout on all of them
/// (st_size, st_mtim, st_ctim, st_dev, st_ino).</item>
/// <item>Windows: <c>GetFileInformationByHandle</c> (size, volume serial number, file index) and
/// <c>GetFileInformationByHandleEx(FileBasicInfo)</c> (LastWriteTime, ChangeTime).</item>
/// </list>
/// </summary>
public readonly partial record struct PhotoFileStamp(long Size, long Modified, long Changed, long Device, long FileId)
{
    /// <summary>Length of <see cref="ToBytes"/>.</summary>
    public const int Length = 5 * sizeof(long);

    private const int RegularFile = 0x8000;
    private const int FileTypeMask = 0xF000;
    private const int FileBasicInfoClass = 0;

    /// <summary>The stamp of the regular file at <paramref name="path"/> (following links), or null when it is
    /// missing, unreadable or not a regular file (a folder, a FIFO, a device).</summary>
    public static PhotoFileStamp? Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return OperatingSystem.IsWindows() ? OfWindows(path) : OfUnix(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The stamp as the store keeps it.</summary>
    public byte[] ToBytes()
    {
        byte[] bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes <see cref="ToBytes"/> into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        foreach (long value in (ReadOnlySpan<long>)[Size, Modified, Changed, Device, FileId])
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination, value);
            destination = destination[sizeof(long)..];
        }
    }

    private static unsafe PhotoFileStamp? OfUnix(string path)
    {
        UnixFileStatus status;
        if (SystemNativeStat(path, &status) != 0 || (status.Mode & FileTypeMask) != RegularFile)
        {
            return null;
        }

        return new PhotoFileStamp(
            status.Size,
            Nanoseconds(status.MTime, status.MTimeNsec),
            Nanoseconds(status.CTime, status.CTimeNsec),
            status.Dev,
            status.Ino);
    }

    private static unsafe PhotoFileStamp? OfWindows(string path)
    {
        if ((File.GetAttributes(path) & (FileAttributes.Directory | FileAttributes.Device)) != 0)
        {
            return null;
        }

        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        ByHandleFileInformation info;
        FileBasicInfo basic;
        if (!GetFileInformationByHandle(handle, &info) || !GetFileInformationByHandleEx(handle, FileBasicInfoClass, &basic, (uint)sizeof(FileBasicInfo)))
        {
            return null;
        }

        return new PhotoFileStamp(
            ((long)info.FileSizeHigh << 32) | info.FileSizeLow,
            basic.LastWriteTime,
            basic.ChangeTime,
            info.VolumeSerialNumber,
            ((long)info.FileIndexHigh << 32) | info.FileIndexLow);
    }

    private static long Nanoseconds(long seconds, long nanoseconds) => seconds * 1_000_000_000 + nanoseconds;

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int SystemNativeStat(string path, UnixFileStatus* status);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool GetFileInformationByHandle(SafeFileHandle file, ByHandleFileInformation* information);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool GetFileInformationByHandleEx(SafeFileHandle file, int informationClass, FileBasicInfo* information, uint size);

    // libSystem.Native's FileStatus (src/native/libs/System.Native/pal_io.h in dotnet/runtime).
    [StructLayout(LayoutKind.Sequential)]
    private struct UnixFileStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
        public long Size;
        public long ATime;
        public long ATimeNsec;
        public long MTime;
        public long MTimeNsec;
        public long CTime;
        public long CTimeNsec;
        public long BirthTime;
        public long BirthTimeNsec;
        public long Dev;
        public long RDev;
        public long Ino;
        public uint UserFlags;
    }

    // BY_HANDLE_FILE_INFORMATION, its FILETIMEs as pairs of DWORDs.
    [StructLayout(LayoutKind.Sequential)]
    private struct ByHandleFileInformation
    {
        public uint FileAttributes;
        public uint CreationTimeLow, CreationTimeHigh;
        public uint LastAccessTimeLow, LastAccessTimeHigh;
        public uint LastWriteTimeLow, LastWriteTimeHigh;
        public uint VolumeSerialNumber;
        public uint FileSizeHigh;
        public uint FileSizeLow;
        public uint NumberOfLinks;
        public uint FileIndexHigh;
        public uint FileIndexLow;
    }

    // FILE_BASIC_INFO.
    [StructLayout(LayoutKind.Sequential)]
    private struct FileBasicInfo
    {
        public long CreationTime;
        public long LastAccessTime;
        public long LastWriteTime;
        public long ChangeTime;
        public uint FileAttributes;
    }
}
