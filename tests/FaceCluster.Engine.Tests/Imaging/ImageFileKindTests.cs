using System.Diagnostics;
using System.Net.Sockets;
using FaceCluster.Engine.Imaging;

namespace FaceCluster.Engine.Tests.Imaging;

/// <summary>
/// Only regular files are read: a pipe, socket, device or folder named like a photo is refused at once. (FIFOs,
/// sockets and devices are Unix file kinds: these tests make them with mkfifo, a Unix socket and /dev/zero.)
/// </summary>
public class ImageFileKindTests
{
    [Fact]
    public void Fifo_named_jpg_is_NotAFile_without_waiting_for_a_writer()
    {
        using var temp = new TempDirectory();
        var path = temp.File("b.jpg");
        MakeFifo(path);
        AssertRefusedAtOnce(path, path);
    }

    [Fact]
    public void Symlink_to_a_fifo_is_NotAFile_without_waiting_for_a_writer()
    {
        using var temp = new TempDirectory();
        var fifo = temp.File("pipe");
        MakeFifo(fifo);
        var link = temp.File("link.jpg");
        File.CreateSymbolicLink(link, fifo);
        AssertRefusedAtOnce(link, fifo);
    }

    [Fact]
    public void Socket_named_jpg_is_NotAFile()
    {
        using var temp = new TempDirectory();
        var path = temp.File("s.jpg");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        AssertRefusedAtOnce(path, path);
    }

    [Fact]
    public void Device_behind_a_jpg_link_is_refused_unread_as_Empty()
    {
        // /dev/zero is seekable and has no size: nothing is read from it (it would never end).
        using var temp = new TempDirectory();
        var link = temp.File("zero.jpg");
        File.CreateSymbolicLink(link, "/dev/zero");
        ImageLoaderTests.AssertFails(link, ImageDecodeFailure.Empty);
    }

    [Fact]
    public void Folder_named_jpg_is_NotAFile()
    {
        using var temp = new TempDirectory();
        var dir = Directory.CreateDirectory(temp.File("folder.jpg")).FullName;
        var e = ImageLoaderTests.AssertFails(dir, ImageDecodeFailure.NotAFile);
        Assert.Contains("folder", e.Detail);
    }

    private static void AssertRefusedAtOnce(string path, string fifoToRelease)
    {
        var load = Task.Run(() => ImageLoader.Load(path));
        bool finished = Task.WaitAny([load], TimeSpan.FromSeconds(10)) == 0 || ReleaseReader(fifoToRelease, load);
        Assert.True(finished, $"loading '{path}' still waits after 10 s");
        var e = Assert.IsType<ImageDecodeException>(load.Exception?.GetBaseException());
        Assert.Equal(ImageDecodeFailure.NotAFile, e.Reason);
        Assert.Equal(path, e.Path);
    }

    /// <summary>Opens the FIFO for writing and closes it, so a reader blocked in open(2) gets end of file; false.</summary>
    private static bool ReleaseReader(string fifo, Task load)
    {
        if (File.Exists(fifo) && !fifo.StartsWith("/dev/", StringComparison.Ordinal))
        {
            try
            {
                using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            }
            catch (IOException)
            {
            }

            Task.WaitAny([load], TimeSpan.FromSeconds(5));
        }

        return false;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
