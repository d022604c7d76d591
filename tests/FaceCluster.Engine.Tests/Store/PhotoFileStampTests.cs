using FaceCluster.Engine.Export;
using FaceCluster.Engine.Store;

namespace FaceCluster.Engine.Tests.Store;

public sealed class PhotoFileStampTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Agrees_with_what_dotnet_and_the_file_system_say_of_the_file()
    {
        string path = _temp.File("photo.jpg");
        File.WriteAllBytes(path, new byte[12345]);
        File.SetLastWriteTimeUtc(path, new DateTime(2021, 3, 4, 5, 6, 7, 891, DateTimeKind.Utc).AddTicks(2345));

        var stamp = PhotoFileStamp.Of(path)!.Value;

        // Size and modification time as .NET reads them: the native struct is read at the right offsets.
        Assert.Equal(12345, stamp.Size);
        var modified = OperatingSystem.IsWindows()
            ? DateTime.FromFileTimeUtc(stamp.Modified)
            : DateTime.UnixEpoch.AddTicks(stamp.Modified / 100);
        Assert.Equal(File.GetLastWriteTimeUtc(path), modified);
        Assert.True(stamp.Changed > stamp.Modified, "the change time is when the modification time was set, later");
        if (FileIdentity.TryGet(path) is { } identity)
        {
            Assert.Equal(identity.Inode, (ulong)stamp.FileId);
        }
        else
        {
            Assert.True(OperatingSystem.IsMacOS(), "statx or GetFileInformationByHandle gives an identity elsewhere");
        }
    }

    [Fact]
    public void An_edit_in_place_that_keeps_size_and_modification_time_changes_it()
    {
        string path = _temp.File("photo.jpg");
        File.WriteAllBytes(path, new byte[100]);
        // A whole number of .NET ticks, so that setting it again restores it to the nanosecond.
        DateTime written = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, written);
        var before = PhotoFileStamp.Of(path)!.Value;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.WriteByte(1);
        }

        File.SetLastWriteTimeUtc(path, written);
        var after = PhotoFileStamp.Of(path)!.Value;

        Assert.Equal((before.Size, before.Modified, before.FileId), (after.Size, after.Modified, after.FileId));
        Assert.NotEqual(before.Changed, after.Changed);
    }

    [Fact]
    public void A_file_moved_over_the_path_changes_it_even_with_every_time_copied()
    {
        string path = _temp.File("photo.jpg"), other = _temp.File("other.jpg");
        File.WriteAllBytes(path, new byte[100]);
        File.WriteAllBytes(other, new byte[100]);
        DateTime written = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, written);
        var before = PhotoFileStamp.Of(path)!.Value;
        File.SetLastWriteTimeUtc(other, written);
        File.Move(other, path, overwrite: true);

        var after = PhotoFileStamp.Of(path)!.Value;

        Assert.Equal((before.Size, before.Modified), (after.Size, after.Modified));
        Assert.NotEqual(before.FileId, after.FileId);
    }

    [Fact]
    public void Reading_it_changes_nothing()
    {
        string path = _temp.File("photo.jpg");
        File.WriteAllBytes(path, new byte[100]);
        var before = PhotoFileStamp.Of(path);
        _ = File.ReadAllBytes(path);

        Assert.Equal(before, PhotoFileStamp.Of(path));
    }

    [Fact]
    public void A_missing_file_or_a_folder_has_none()
    {
        Assert.Null(PhotoFileStamp.Of(_temp.File("missing.jpg")));
        Assert.Null(PhotoFileStamp.Of(Directory.CreateDirectory(_temp.File("folder.jpg")).FullName));
    }
}
