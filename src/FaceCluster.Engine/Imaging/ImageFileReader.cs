using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// Reads the bytes of an image file, and only of a regular file: a folder, FIFO, socket or terminal named like a photo
/// is refused as <see cref="ImageDecodeFailure.NotAFile"/> at once. Opening a FIFO for reading waits until something
/// opens it for writing, so on Unix the file is first opened with O_NONBLOCK, which returns at once, and the open
/// handle says whether it is seekable (a pipe, socket or terminal is not). A device such as /dev/zero is seekable
/// and has no size: it is refused as <see cref="ImageDecodeFailure.Empty"/>, unread.
/// </summary>
internal static partial class ImageFileReader
{
    /// <exception cref="ImageDecodeException">Not a regular file, empty, larger than <paramref name="maxBytes"/>, or unreadable.</exception>
    public static byte[] Read(string path, long maxBytes)
    {
        try
        {
            RefuseUnlessFile(path);
            // Share everything: a sync client (OneDrive, Dropbox) may hold the photo open for writing or replace it;
            // with FileShare.Read alone Windows refuses to open such a file.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            if (stream.Length == 0)
            {
                throw new ImageDecodeException(path, ImageDecodeFailure.Empty, "Image file is empty");
            }

            if (stream.Length > maxBytes)
            {
                throw new ImageDecodeException(path, ImageDecodeFailure.TooLarge, $"Image file is larger than {maxBytes >> 20} MiB");
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.Unreadable, $"Cannot read image file ({e.Message})", e);
        }
    }

    /// <summary>Refuses, without reading or waiting on it, a path that is not a regular file (or a device).</summary>
    /// <exception cref="ImageDecodeException">A folder, pipe, socket or terminal.</exception>
    /// <exception cref="IOException">The path cannot be opened.</exception>
    public static void RefuseUnlessFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new ImageDecodeException(path, ImageDecodeFailure.NotAFile, "The path is a folder, not an image file");
        }

        SafeFileHandle handle;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            int fd = Open(path, ReadOnlyNonBlocking);
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw errno == NoSuchDeviceOrAddress
                    ? new ImageDecodeException(path, ImageDecodeFailure.NotAFile, "The path is a socket, not an image file")
                    : new IOException(Marshal.GetPInvokeErrorMessage(errno));
            }

            handle = new SafeFileHandle(fd, ownsHandle: true);
        }
        else
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }

        using (handle)
        using (var probe = new FileStream(handle, FileAccess.Read, 1))
        {
            if (!probe.CanSeek)
            {
                throw new ImageDecodeException(path, ImageDecodeFailure.NotAFile, "The path is a pipe (FIFO), socket or terminal, not an image file");
            }
        }
    }

    /// <summary>ENXIO, the same on Linux and macOS: opening a socket, or a device that is not there.</summary>
    private const int NoSuchDeviceOrAddress = 6;

    /// <summary>O_RDONLY | O_NONBLOCK | O_CLOEXEC.</summary>
    private static int ReadOnlyNonBlocking => OperatingSystem.IsMacOS() ? 0x0004 | 0x0100_0000 : 0x0800 | 0x8_0000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags); // no O_CREAT, so open(2) reads no mode
}
