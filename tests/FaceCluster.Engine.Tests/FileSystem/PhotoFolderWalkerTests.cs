using FaceCluster.Engine.Export;
using FaceCluster.Engine.FileSystem;
using FaceCluster.Engine.Imaging;

namespace FaceCluster.Engine.Tests.FileSystem;

public class PhotoFolderWalkerTests
{
    private static void Touch(string root, params string[] files)
    {
        foreach (string file in files)
        {
            string path = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF]);
        }
    }

    private static List<string> Photos(string folder, bool includeExportFolders = false) =>
        new PhotoFolderWalker(includeExportFolders).Walk(folder)
            .Where(e => e.Kind == PhotoWalkEntryKind.Photo).Select(e => e.Path).ToList();

    [Fact]
    public void Takes_the_image_files_of_every_depth_in_the_ordinal_order_of_their_paths()
    {
        using var temp = new TempDirectory();
        Touch(temp.FullPath, "b.JPG", "a b.jpeg", "a/x.png", "a/deep/er/y.HEIC", "c.webp", "a-1/z.tif", "A.avif");

        var expected = new[] { "A.avif", "a b.jpeg", "a-1/z.tif", "a/deep/er/y.HEIC", "a/x.png", "b.JPG", "c.webp" }
            .Select(p => Path.Combine(temp.FullPath, p)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), expected); // the expectation is path order itself
        Assert.Equal(expected, Photos(temp.FullPath));
        Assert.Equal(expected, Photos(temp.FullPath + Path.DirectorySeparatorChar)); // a trailing separator changes nothing
    }

    [Fact]
    public void Leaves_out_files_that_are_not_named_as_images_and_hidden_entries()
    {
        using var temp = new TempDirectory();
        Touch(temp.FullPath, "a.jpg", "notes.txt", "Thumbs.db", "movie.mp4", "raw.CR3", "jpg", ".hidden.jpg", "._a.jpg",
            ".thumbnails/t.png", "sub/b.Jpeg", "sub/b.jpeg.part");

        Assert.Equal([temp.File("a.jpg"), Path.Combine(temp.FullPath, "sub", "b.Jpeg")], Photos(temp.FullPath));
    }

    [Theory]
    [InlineData(".jpg")]
    [InlineData(".JPEG")]
    [InlineData(".heic")]
    [InlineData(".Tiff")]
    [InlineData(".ico")]
    public void Every_extension_of_a_decoded_format_counts_in_any_case(string extension)
    {
        Assert.True(ImageFileExtensions.IsImageName("IMG_0001" + extension));
        Assert.False(ImageFileExtensions.IsImageName("IMG_0001" + extension + ".txt"));
    }

    [Fact]
    public async Task Never_follows_a_link_to_a_folder_so_a_link_loop_ends()
    {
        using var temp = new TempDirectory();
        string library = temp.File("library");
        Touch(library, "a.jpg", "sub/b.jpg");
        Touch(temp.FullPath, "elsewhere/c.jpg");
        Directory.CreateSymbolicLink(Path.Combine(library, "sub", "loop"), library);
        Directory.CreateSymbolicLink(Path.Combine(library, "linked"), temp.File("elsewhere"));
        File.CreateSymbolicLink(Path.Combine(library, "d.jpg"), temp.File("elsewhere/c.jpg"));

        List<string> photos = await Task.Run(() => Photos(library)).WaitAsync(TimeSpan.FromSeconds(30)); // a loop followed would time out

        // A link to a file is a file, as Get-ChildItem -File lists it.
        Assert.Equal([Path.Combine(library, "a.jpg"), Path.Combine(library, "d.jpg"), Path.Combine(library, "sub", "b.jpg")], photos);
    }

    [Fact]
    public void Leaves_an_export_folder_out_whole_and_names_it_once()
    {
        using var temp = new TempDirectory();
        Touch(temp.FullPath, "a.jpg", "Sorted/cluster_0/a.jpg", "Sorted/representative.jpg", "z.jpg", "other/b.jpg");
        ExportFolderFinderTests.WriteManifest(temp.File("Sorted"), faces: 1);
        File.WriteAllText(Path.Combine(temp.File("other"), FaceManifest.FileName), "{\"tool\":\"SomethingElse\"}");

        var entries = new PhotoFolderWalker(includeExportFolders: false).Walk(temp.FullPath).ToList();

        Assert.Equal(
            [
                new PhotoWalkEntry(temp.File("Sorted"), PhotoWalkEntryKind.ExportFolder),
                new PhotoWalkEntry(temp.File("a.jpg"), PhotoWalkEntryKind.Photo),
                new PhotoWalkEntry(Path.Combine(temp.FullPath, "other", "b.jpg"), PhotoWalkEntryKind.Photo),
                new PhotoWalkEntry(temp.File("z.jpg"), PhotoWalkEntryKind.Photo),
            ],
            entries.OrderBy(e => e.Path, StringComparer.Ordinal));
        Assert.Equal(new[] { "a.jpg", "other/b.jpg", "Sorted/cluster_0/a.jpg", "Sorted/representative.jpg", "z.jpg" }
            .Select(p => Path.Combine(temp.FullPath, p)).Order(StringComparer.Ordinal), Photos(temp.FullPath, includeExportFolders: true));
    }

    [Fact]
    public void A_folder_inside_an_export_is_left_out_when_walked_itself()
    {
        using var temp = new TempDirectory();
        Touch(temp.FullPath, "Sorted/cluster_0/a.jpg");
        ExportFolderFinderTests.WriteManifest(temp.File("Sorted"), faces: 1);

        Assert.Equal([new PhotoWalkEntry(temp.File("Sorted"), PhotoWalkEntryKind.ExportFolder)],
            new PhotoFolderWalker(includeExportFolders: false).Walk(Path.Combine(temp.FullPath, "Sorted", "cluster_0")).ToList());
        Assert.Equal([Path.Combine(temp.FullPath, "Sorted", "cluster_0", "a.jpg")],
            Photos(Path.Combine(temp.FullPath, "Sorted", "cluster_0"), includeExportFolders: true));
    }

    [Fact]
    public void A_folder_that_cannot_be_listed_is_reported_and_the_walk_goes_on()
    {
        using var temp = new TempDirectory();
        Touch(temp.FullPath, "a.jpg", "b/in.jpg", "c/in.jpg", "d.jpg");
        var seen = new List<PhotoWalkEntry>();

        // The walk lists each folder when it reaches it: b goes away after a.jpg is taken, before b is listed.
        foreach (PhotoWalkEntry entry in new PhotoFolderWalker(includeExportFolders: false).Walk(temp.FullPath))
        {
            seen.Add(entry);
            if (entry.Path == temp.File("a.jpg"))
            {
                Directory.Delete(temp.File("b"), recursive: true);
            }
        }

        Assert.Equal(
            [
                new PhotoWalkEntry(temp.File("a.jpg"), PhotoWalkEntryKind.Photo),
                new PhotoWalkEntry(temp.File("b"), PhotoWalkEntryKind.UnreadableFolder, seen[1].Error),
                new PhotoWalkEntry(Path.Combine(temp.FullPath, "c", "in.jpg"), PhotoWalkEntryKind.Photo),
                new PhotoWalkEntry(temp.File("d.jpg"), PhotoWalkEntryKind.Photo),
            ],
            seen);
        Assert.IsAssignableFrom<IOException>(seen[1].Error);
    }
}
