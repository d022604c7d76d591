using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Models;
using FaceCluster.Engine.Store;
using FaceCluster.Engine.Tests.Encoding;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Store;

public sealed class StoredFaceEncoderTests(EncoderFixture fixture) : IClassFixture<EncoderFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_photo_is_encoded_once_then_served_from_the_store_equal_to_fresh_in_every_property()
    {
        string photo = Copy(1, "photo.jpg");
        var fresh = fixture.Encoder.Encode(photo);
        using var store = EncodingStore.Open(_temp.File("faces.db"));
        var stored = new StoredFaceEncoder(fixture.Encoder, store);

        var first = stored.Encode(photo);
        var second = stored.Encode(photo);

        Assert.False(first.FromStore);
        Assert.True(second.FromStore);
        AssertSameFaces(fresh, first.Faces);
        AssertSameFaces(fresh, second.Faces);
    }

    [Fact]
    public void A_stored_photo_is_not_decoded_again()
    {
        string photo = Copy(2, "photo.jpg");
        string db = StoreOnce(photo);

        // An encoder that can no longer decode anything: only the store can answer.
        using var disposed = FaceEncoder.Create(fixture.Encoder.Pack, fixture.Encoder.Options);
        using var reopened = EncodingStore.Open(db);
        var stored = new StoredFaceEncoder(disposed, reopened);
        disposed.Dispose();

        var again = stored.Encode(photo);

        Assert.True(again.FromStore);
        AssertSameFaces(fixture.Sample(2), again.Faces, photo);
    }

    [Fact]
    public void A_renamed_and_moved_photo_is_found_by_its_content()
    {
        string photo = Copy(3, "before.jpg");
        using var store = EncodingStore.Open(_temp.File("faces.db"));
        var stored = new StoredFaceEncoder(fixture.Encoder, store);
        stored.Encode(photo);
        string moved = Path.Combine(Directory.CreateDirectory(_temp.File("elsewhere")).FullName, "after.jpg");
        File.Move(photo, moved);

        var found = stored.Encode(moved);

        Assert.True(found.FromStore);
        AssertSameFaces(fixture.Sample(3), found.Faces, moved);
        Assert.All(found.Faces, f => Assert.Equal(moved, f.Path));
    }

    [Fact]
    public void A_changed_file_is_encoded_again()
    {
        string photo = Copy(1, "photo.jpg");
        using var store = EncodingStore.Open(_temp.File("faces.db"));
        var stored = new StoredFaceEncoder(fixture.Encoder, store);
        stored.Encode(photo);
        DateTime written = File.GetLastWriteTimeUtc(photo);
        File.Copy(TestAssets.Sample(4), photo, overwrite: true);
        // Even with the old modification time the size differs; the new bytes get their own entry.
        File.SetLastWriteTimeUtc(photo, written);

        var changed = stored.Encode(photo);

        Assert.False(changed.FromStore);
        AssertSameFaces(fixture.Sample(4), changed.Faces, photo);
        Assert.True(stored.Encode(photo).FromStore);
    }

    [Theory]
    [InlineData("edited in place")]
    [InlineData("replaced by a file moved over it")]
    public void A_photo_rewritten_with_its_size_and_modification_time_kept_is_encoded_again(string how)
    {
        // Two different photos of one size: what an editor that keeps the size and restores the modification time
        // (exiftool -P flipping the orientation) leaves behind.
        (byte[] before, byte[] after) = SameSize(TestAssets.Sample(1), TestAssets.Sample(4));
        string photo = _temp.File("photo.jpg");
        File.WriteAllBytes(photo, before);
        // A whole number of .NET ticks, so that setting it again restores it to the nanosecond.
        DateTime written = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(photo, written);
        using var store = EncodingStore.Open(_temp.File("faces.db"));
        var stored = new StoredFaceEncoder(fixture.Encoder, store);
        stored.Encode(photo);
        if (how == "edited in place")
        {
            using var file = new FileStream(photo, FileMode.Open, FileAccess.Write);
            file.Write(after);
        }
        else
        {
            string replacement = _temp.File("replacement.jpg");
            File.WriteAllBytes(replacement, after);
            File.Move(replacement, photo, overwrite: true);
        }

        File.SetLastWriteTimeUtc(photo, written);
        Assert.Equal(before.Length, new FileInfo(photo).Length);

        var rewritten = stored.Encode(photo);

        Assert.False(rewritten.FromStore);
        AssertSameFaces(fixture.Sample(4), rewritten.Faces, photo);
        Assert.NotEqual(fixture.Sample(1).Count, rewritten.Faces.Count);
        Assert.True(stored.Encode(photo).FromStore);
    }

    [Fact]
    public void A_read_only_store_serves_every_stored_photo_and_writes_nothing()
    {
        string photo = Copy(1, "photo.jpg");
        string db = StoreOnce(photo);
        // The same photo at a new path: the store would remember the path if it could write.
        string moved = Path.Combine(Directory.CreateDirectory(_temp.File("elsewhere")).FullName, "moved.jpg");
        File.Copy(photo, moved);
        File.SetAttributes(db, FileAttributes.ReadOnly);
        byte[] before = File.ReadAllBytes(db);
        try
        {
            var served = WithDecodingImpossible(db, stored => new[] { stored.Encode(photo), stored.Encode(moved), stored.Encode(moved) });

            Assert.All(served, s => Assert.True(s.FromStore));
            AssertSameFaces(fixture.Sample(1), served[0].Faces, photo);
            AssertSameFaces(fixture.Sample(1), served[1].Faces, moved);
            Assert.Equal(before, File.ReadAllBytes(db));
            Assert.False(File.Exists(db + "-wal") && new FileInfo(db + "-wal").Length > 0, "nothing was written to the write-ahead log");
        }
        finally
        {
            File.SetAttributes(db, FileAttributes.Normal);
        }
    }

    [Fact]
    public void A_read_only_store_that_must_store_a_photo_fails_naming_the_store_the_photo_and_the_remedy()
    {
        string db = StoreOnce(Copy(1, "photo.jpg"));
        string other = Copy(2, "other.jpg");
        File.SetAttributes(db, FileAttributes.ReadOnly);
        byte[] before = File.ReadAllBytes(db);
        try
        {
            using var store = EncodingStore.Open(db);
            var stored = new StoredFaceEncoder(fixture.Encoder, store);

            var e = Assert.Throws<EncodingStoreException>(() => stored.Encode(other));

            Assert.Equal(EncodingStoreProblem.ReadOnly, e.Problem);
            Assert.Equal(db, e.FilePath);
            Assert.Contains($"'{db}'", e.Message);
            Assert.Contains($"'{other}'", e.Message);
            Assert.Contains("read-only", e.Message);
            Assert.Contains("make it writable", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("delete", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, File.ReadAllBytes(db));
        }
        finally
        {
            File.SetAttributes(db, FileAttributes.Normal);
        }
    }

    [Fact]
    public void Another_option_or_model_pack_is_not_served_the_old_entries()
    {
        string photo = Copy(5, "photo.jpg");
        string db = StoreOnce(photo);

        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);
        using var otherOptions = FaceEncoder.Create(fixture.Encoder.Pack, fixture.Encoder.Options with { MaxImageSize = 800 });
        using var otherPack = FaceEncoder.Create(catalog.Get("dlib"), fixture.Encoder.Options);
        using var reopened = EncodingStore.Open(db);
        foreach (var encoder in new[] { otherOptions, otherPack })
        {
            var stored = new StoredFaceEncoder(encoder, reopened);
            var first = stored.Encode(photo);
            Assert.False(first.FromStore);
            AssertSameFaces(encoder.Encode(photo), first.Faces);
            Assert.True(stored.Encode(photo).FromStore);
        }

        Assert.True(new StoredFaceEncoder(fixture.Encoder, reopened).Encode(photo).FromStore);
    }

    [Fact]
    public void Every_option_that_changes_the_faces_changes_the_settings_but_the_thread_count_does_not()
    {
        var pack = fixture.Encoder.Pack;
        var options = new FaceEncoderOptions();
        string plain = EncodingSettings.Describe(pack, options);
        var changed = new[]
        {
            EncodingSettings.Describe(pack, options with { MinConfidence = 0.8f }),
            EncodingSettings.Describe(pack, options with { MinFaceSize = 21 }),
            EncodingSettings.Describe(pack, options with { MaxImageSize = 1601 }),
            EncodingSettings.Describe(pack, options with { Jitter = 2 }),
            EncodingSettings.Describe(pack with { Name = "other" }, options),
            EncodingSettings.Describe(pack.WithDetector(DetectorKind.SsdMobilenetV1) with
            {
                Files = pack.Files.Append(pack.GetFile(ModelFileRole.Detector) with { Detector = DetectorKind.SsdMobilenetV1, Sha256 = "00" }).ToArray(),
            }, options),
            EncodingSettings.Describe(pack with
            {
                Files = pack.Files.Select(f => f.Role == ModelFileRole.Embedding ? f with { Sha256 = "00" } : f).ToArray(),
            }, options),
        };

        Assert.Equal(plain, EncodingSettings.Describe(pack, options with { IntraOpThreads = 4 }));
        Assert.Equal(changed.Length + 1, changed.Append(plain).Distinct().Count());
    }

    [Fact]
    public void A_photo_without_a_face_is_recorded_as_such()
    {
        string blank = _temp.File("blank.png");
        TestImages.WriteBlackPng(blank, 400, 300);
        string db = _temp.File("faces.db");
        using (var store = EncodingStore.Open(db))
        {
            var first = new StoredFaceEncoder(fixture.Encoder, store).Encode(blank);
            Assert.False(first.FromStore);
            Assert.Empty(first.Faces);
        }

        var again = WithDecodingImpossible(db, stored => stored.Encode(blank));

        Assert.True(again.FromStore);
        Assert.Empty(again.Faces);
    }

    [Fact]
    public void A_failed_photo_is_recorded_and_reported_again_from_the_store_with_its_reason()
    {
        string text = _temp.File("notes.jpg");
        File.WriteAllText(text, "not a photo at all, just some text in a file named like one");
        string db = _temp.File("faces.db");
        using (var store = EncodingStore.Open(db))
        {
            var first = new StoredFaceEncoder(fixture.Encoder, store).Encode(text);
            Assert.False(first.FromStore);
            Assert.Equal(ImageDecodeFailure.NotAnImage, first.Failure?.Reason);
        }

        var again = WithDecodingImpossible(db, stored => stored.Encode(text));

        Assert.True(again.FromStore);
        Assert.Empty(again.Faces);
        Assert.Equal(ImageDecodeFailure.NotAnImage, again.Failure?.Reason);
        Assert.Equal(text, again.Failure?.Path);
        Assert.Contains("recorded in the encoding store", again.Failure?.Message);
    }

    [Fact]
    public void Unchanged_photos_are_served_in_one_look_up_and_every_other_is_left_to_Encode()
    {
        string same = Copy(1, "same.jpg"), edited = Copy(2, "edited.jpg"), moved = Copy(3, "moved.jpg");
        string text = _temp.File("notes.jpg");
        File.WriteAllText(text, "not a photo at all, just some text in a file named like one");
        string db = _temp.File("faces.db");
        using (var store = EncodingStore.Open(db))
        {
            var first = new StoredFaceEncoder(fixture.Encoder, store);
            foreach (string photo in new[] { same, edited, moved, text })
            {
                first.Encode(photo);
            }
        }

        File.Copy(TestAssets.Sample(4), edited, overwrite: true);
        string movedTo = _temp.File("moved-to.jpg");
        File.Move(moved, movedTo);
        string added = Copy(5, "added.jpg");
        string missing = _temp.File("missing.jpg");

        var found = WithDecodingImpossible(db, stored => stored.FindUnchanged([same, edited, movedTo, added, missing, text, same]));

        Assert.Equal(7, found.Length);
        foreach (int i in new[] { 0, 6 })
        {
            Assert.True(found[i]!.FromStore);
            AssertSameFaces(fixture.Sample(1), found[i]!.Faces, same);
        }

        // Changed, moved (found by its content only through Encode), new, missing: Encode's.
        Assert.All(new[] { found[1], found[2], found[3], found[4] }, Assert.Null);
        Assert.True(found[5]!.FromStore);
        Assert.Equal(ImageDecodeFailure.NotAnImage, found[5]!.Failure?.Reason);
        Assert.Equal(text, found[5]!.Failure?.Path);
        Assert.True(WithDecodingImpossible(db, stored => stored.Encode(movedTo)).FromStore);

        // Another option's settings were never stored: nothing is served to them.
        using var otherOptions = FaceEncoder.Create(fixture.Encoder.Pack, fixture.Encoder.Options with { MaxImageSize = 800 });
        using var reopened = EncodingStore.Open(db);
        Assert.Null(Assert.Single(new StoredFaceEncoder(otherOptions, reopened).FindUnchanged([same])));
    }

    [Fact]
    public void A_photo_the_batched_look_up_missed_is_encoded_without_asking_the_store_about_its_path_again()
    {
        string photo = Copy(1, "photo.jpg");
        using var store = new CountingStore(EncodingStore.Open(_temp.File("faces.db")));
        var stored = new StoredFaceEncoder(fixture.Encoder, store);

        Assert.Null(Assert.Single(stored.FindUnchanged([photo])));
        var encoded = stored.Encode(photo);

        Assert.False(encoded.FromStore);
        AssertSameFaces(fixture.Sample(1), encoded.Faces, photo);
        Assert.Equal(1, store.PathLookUps);
        // Only once: the next Encode of the same file asks the store again, and is served.
        Assert.True(stored.Encode(photo).FromStore);
        Assert.Equal(2, store.PathLookUps);
    }

    [Fact]
    public void A_file_changed_or_stored_elsewhere_after_the_batched_look_up_is_still_encoded_right()
    {
        string changed = Copy(1, "changed.jpg"), storedElsewhere = Copy(2, "elsewhere.jpg");
        using var store = new CountingStore(EncodingStore.Open(_temp.File("faces.db")));
        var stored = new StoredFaceEncoder(fixture.Encoder, store);
        Assert.All(stored.FindUnchanged([changed, storedElsewhere]), Assert.Null);

        File.Copy(TestAssets.Sample(4), changed, overwrite: true);
        // Another worker on the same store encodes the second photo meanwhile.
        Assert.False(new StoredFaceEncoder(fixture.Encoder, store).Encode(storedElsewhere).FromStore);
        int before = store.PathLookUps;
        var afterChange = stored.Encode(changed);
        var afterOther = stored.Encode(storedElsewhere);

        Assert.Equal(before + 1, store.PathLookUps); // the changed file's path asked again, the other not
        Assert.False(afterChange.FromStore);
        AssertSameFaces(fixture.Sample(4), afterChange.Faces, changed);
        Assert.True(afterOther.FromStore);
        AssertSameFaces(fixture.Sample(2), afterOther.Faces, storedElsewhere);
    }

    [Fact]
    public void A_missing_file_is_reported_and_not_recorded()
    {
        using var store = EncodingStore.Open(_temp.File("faces.db"));
        var stored = new StoredFaceEncoder(fixture.Encoder, store);
        string missing = _temp.File("missing.jpg");

        Assert.Equal(ImageDecodeFailure.Unreadable, stored.Encode(missing).Failure?.Reason);

        File.Copy(TestAssets.Sample(1), missing);
        Assert.False(stored.Encode(missing).FromStore);
    }

    [Fact]
    public async Task Several_stores_on_one_file_write_at_once_and_lose_nothing()
    {
        // Distinct bytes per photo (a JPEG comment), so every write is a new entry; the same six faces' photos each time.
        var photos = Enumerable.Range(0, 24).Select(i => WithComment(1 + i % 6, $"copy {i}")).ToArray();
        string db = _temp.File("faces.db");
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            using var store = EncodingStore.Open(db);
            var stored = new StoredFaceEncoder(fixture.Encoder, store);
            // Each writer encodes its own quarter and then all of them, racing the others for the same entries.
            foreach (var photo in photos.Where((_, i) => i % 4 == w).Concat(photos))
            {
                stored.Encode(photo);
            }
        })).ToArray();
        await Task.WhenAll(writers);

        var check = WithDecodingImpossible(db, stored => photos.Select(p => stored.Encode(p)).ToArray());
        Assert.All(check, c => Assert.True(c.FromStore));
        for (int i = 0; i < photos.Length; i++)
        {
            AssertSameFaces(fixture.Sample(1 + i % 6), check[i].Faces, photos[i]);
        }
    }

    internal static void AssertSameFaces(IReadOnlyList<FaceEncoding> expected, IReadOnlyList<FaceEncoding> actual, string? path = null)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(path ?? e.Path, a.Path);
            Assert.Equal(e.FaceIndex, a.FaceIndex);
            Assert.Equal(e.Box, a.Box);
            Assert.Equal(e.Landmarks, a.Landmarks);
            Assert.Equal(e.Confidence, a.Confidence);
            Assert.Equal(e.Vector, a.Vector);
            Assert.Equal(e.Model, a.Model);
            Assert.Equal(e.ImageWidth, a.ImageWidth);
            Assert.Equal(e.ImageHeight, a.ImageHeight);
        }

        // Every public property is compared above; a new one must be added there.
        Assert.Equal(9, typeof(FaceEncoding).GetProperties().Length);
    }

    private string StoreOnce(string photo)
    {
        string db = _temp.File("faces.db");
        using var store = EncodingStore.Open(db);
        new StoredFaceEncoder(fixture.Encoder, store).Encode(photo);
        return db;
    }

    private T WithDecodingImpossible<T>(string db, Func<StoredFaceEncoder, T> use)
    {
        using var disposed = FaceEncoder.Create(fixture.Encoder.Pack, fixture.Encoder.Options);
        using var store = EncodingStore.Open(db);
        var stored = new StoredFaceEncoder(disposed, store);
        disposed.Dispose();
        return use(stored);
    }

    private string Copy(int sample, string name)
    {
        string path = _temp.File(name);
        File.Copy(TestAssets.Sample(sample), path);
        return path;
    }

    private static (byte[] First, byte[] Second) SameSize(string first, string second)
    {
        // Pads the smaller JPEG with comment segments up to the other's length; the images are unchanged.
        byte[] a = File.ReadAllBytes(first), b = File.ReadAllBytes(second);
        bool swap = a.Length > b.Length;
        (byte[] small, byte[] large) = swap ? (b, a) : (a, b);
        using var padded = new MemoryStream();
        padded.Write(small, 0, 2);
        for (int missing = large.Length - small.Length; missing > 0;)
        {
            int segment = Math.Min(missing, 65535 + 2);
            if (missing - segment is > 0 and < 4)
            {
                segment -= 4; // leave room for one more whole segment
            }

            int length = segment - 2;
            padded.Write([0xFF, 0xFE, (byte)(length >> 8), (byte)length]);
            padded.Write(new byte[length - 2]);
            missing -= segment;
        }

        padded.Write(small, 2, small.Length - 2);
        byte[] result = padded.ToArray();
        Assert.Equal(large.Length, result.Length);
        return swap ? (large, result) : (result, large);
    }

    private string WithComment(int sample, string comment)
    {
        byte[] jpeg = File.ReadAllBytes(TestAssets.Sample(sample));
        byte[] text = System.Text.Encoding.ASCII.GetBytes(comment);
        int length = text.Length + 2;
        string path = _temp.File($"{comment.Replace(' ', '-')}.jpg");
        using var file = File.Create(path);
        file.Write(jpeg, 0, 2); // SOI, then a COM segment
        file.Write([0xFF, 0xFE, (byte)(length >> 8), (byte)length]);
        file.Write(text);
        file.Write(jpeg, 2, jpeg.Length - 2);
        return path;
    }

    /// <summary>A store that counts the look-ups of files by path (<see cref="IEncodingStore.FindKnown"/>).</summary>
    private sealed class CountingStore(IEncodingStore inner) : IEncodingStore
    {
        private int _pathLookUps;

        public int PathLookUps => _pathLookUps;

        public string Name => inner.Name;

        public bool IsReadOnly => inner.IsReadOnly;

        public long SettingsId(string description) => inner.SettingsId(description);

        public byte[]? KnownContentKey(string path, PhotoFileStamp stamp) => inner.KnownContentKey(path, stamp);

        public IReadOnlyList<(byte[]? Key, StoredPhoto? Photo)> FindKnown(IReadOnlyList<(string Path, PhotoFileStamp Stamp)> files, long settingsId, int vectorLength)
        {
            Interlocked.Increment(ref _pathLookUps);
            return inner.FindKnown(files, settingsId, vectorLength);
        }

        public void RememberFile(string path, PhotoFileStamp stamp, byte[] contentKey) => inner.RememberFile(path, stamp, contentKey);

        public StoredPhoto? Find(byte[] contentKey, long settingsId, int vectorLength) => inner.Find(contentKey, settingsId, vectorLength);

        public void Save(byte[] contentKey, long settingsId, StoredPhoto photo, string path, PhotoFileStamp stamp) =>
            inner.Save(contentKey, settingsId, photo, path, stamp);

        public IEnumerable<(KnownFile File, StoredPhoto? Photo)> KnownPhotos(string? folder, long settingsId, int vectorLength) =>
            inner.KnownPhotos(folder, settingsId, vectorLength);

        public EncodingStoreException CannotStore(string path) => inner.CannotStore(path);

        public void Dispose() => inner.Dispose();
    }
}
