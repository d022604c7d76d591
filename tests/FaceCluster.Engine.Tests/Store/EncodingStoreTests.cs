using System.Diagnostics;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Store;
using FaceCluster.Engine.Tests.Clustering;
using FaceCluster.Model;
using Microsoft.Data.Sqlite;

namespace FaceCluster.Engine.Tests.Store;

public sealed class EncodingStoreTests : IDisposable
{
    private static readonly byte[] Key = Enumerable.Range(0, PhotoContentKey.Length).Select(i => (byte)i).ToArray();
    private static readonly PhotoFileStamp Stamp = new(Size: 1234, Modified: 5678, Changed: 9012, Device: 3, FileId: 6);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Keeps_faces_and_paths_exactly()
    {
        string db = _temp.File("faces.db");
        var face = new StoredFace(0, new FaceBox(1.5f, 2.25f, 30.125f, 40f),
            Enumerable.Range(0, 5).Select(i => new FacePoint(i + 0.1f, i + 0.7f)).ToArray(), 0.987654f,
            Enumerable.Range(0, 8).Select(i => MathF.Sqrt(i) / 7f).ToArray());
        using (var store = EncodingStore.Open(db))
        {
            long settings = store.SettingsId("settings A");
            store.Save(Key, settings, new StoredPhoto([face], 640, 480), "/photos/a.jpg", Stamp);
        }

        using var reopened = EncodingStore.Open(db);
        long id = reopened.SettingsId("settings A");
        var photo = reopened.Find(Key, id, vectorLength: 8)!;
        var read = Assert.Single(photo.Faces);

        Assert.Equal((640, 480), (photo.ImageWidth, photo.ImageHeight));
        Assert.Equal(face.Box, read.Box);
        Assert.Equal(face.Landmarks, read.Landmarks);
        Assert.Equal(face.Confidence, read.Confidence);
        Assert.Equal(face.Vector, read.Vector);
        Assert.Equal(Key, reopened.KnownContentKey("/photos/a.jpg", Stamp));
        Assert.Null(reopened.KnownContentKey("/photos/b.jpg", Stamp));
        // Any part of the stamp that differs means another file.
        Assert.Null(reopened.KnownContentKey("/photos/a.jpg", Stamp with { Size = 1235 }));
        Assert.Null(reopened.KnownContentKey("/photos/a.jpg", Stamp with { Modified = 5679 }));
        Assert.Null(reopened.KnownContentKey("/photos/a.jpg", Stamp with { Changed = 91012 }));
        Assert.Null(reopened.KnownContentKey("/photos/a.jpg", Stamp with { Device = 4 }));
        Assert.Null(reopened.KnownContentKey("/photos/a.jpg", Stamp with { FileId = 7 }));
        Assert.Null(reopened.Find(Key, reopened.SettingsId("settings B"), 8));
    }

    [Fact]
    public void A_new_store_keeps_a_faces_row_in_its_page_without_overflow_pages()
    {
        string db = _temp.File("faces.db");
        using (var store = EncodingStore.Open(db))
        {
            long settings = store.SettingsId("s");
            for (int i = 0; i < 200; i++)
            {
                var face = new StoredFace(0, new FaceBox(1, 1, 5, 5), new FacePoint[5], 0.9f, Enumerable.Range(0, 512).Select(k => (float)(k + i)).ToArray());
                byte[] key = Enumerable.Range(0, PhotoContentKey.Length).Select(k => (byte)(k * 7 + i)).ToArray();
                store.Save(key, settings, new StoredPhoto([face], 10, 10), $"/p/{i}.jpg", Stamp with { FileId = i });
            }
        }

        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size";
        Assert.Equal(16384L, (long)command.ExecuteScalar()!);
        // 200 faces of 2 KB vectors: about 410 KB of rows; with a 4 KB page each spilled into a page of its own (1 MB).
        Assert.InRange(new FileInfo(db).Length, 400_000, 640_000);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_reported_as_damaged_naming_it_and_how_to_rebuild()
    {
        string db = _temp.File("faces.db");
        File.WriteAllBytes(db, Enumerable.Range(0, 8192).Select(i => (byte)(i * 37)).ToArray());

        var e = Assert.Throws<EncodingStoreException>(() => EncodingStore.Open(db));

        Assert.Equal(EncodingStoreProblem.Corrupt, e.Problem);
        AssertNamesAndRebuilds(e, db);
    }

    [Fact]
    public void A_store_damaged_inside_is_reported_as_damaged_never_read()
    {
        string db = StoreOf200Photos();

        // Overwrite every page but the first (the header) from its third byte on: each b-tree page's header is garbage.
        byte[] bytes = File.ReadAllBytes(db);
        int pageSize = (bytes[16] << 8) | bytes[17];
        for (int page = pageSize; page < bytes.Length; page += pageSize)
        {
            Array.Fill(bytes, (byte)0xA5, page + 2, 30);
        }

        File.WriteAllBytes(db, bytes);

        var e = Assert.Throws<EncodingStoreException>(() => EncodingStore.Open(db));

        Assert.Equal(EncodingStoreProblem.Corrupt, e.Problem);
        AssertNamesAndRebuilds(e, db);
    }

    [Fact]
    public void FindKnown_answers_many_files_in_order_as_KnownContentKey_and_Find_answer_each()
    {
        string db = _temp.File("faces.db");
        using var store = EncodingStore.Open(db);
        long settings = store.SettingsId("s"), other = store.SettingsId("other");
        byte[] KeyOf(int i) => Enumerable.Range(0, PhotoContentKey.Length).Select(k => (byte)(k + 3 * i)).ToArray();
        for (int i = 0; i < 5; i++)
        {
            var faces = Enumerable.Range(0, i % 3).Select(f => new StoredFace(f, new FaceBox(i, f, 5, 5), new FacePoint[5], 0.5f + i / 10f, Enumerable.Repeat((float)i + f, 8).ToArray())).ToArray();
            store.Save(KeyOf(i), i == 4 ? other : settings, new StoredPhoto(faces, 10 + i, 20 + i), $"/p/{i}.jpg", Stamp with { FileId = i });
        }

        var files = new (string, PhotoFileStamp)[]
        {
            ("/p/2.jpg", Stamp with { FileId = 2 }), ("/p/0.jpg", Stamp with { FileId = 0 }), ("/p/9.jpg", Stamp),
            ("/p/1.jpg", Stamp with { FileId = 1, Size = 1 }), ("/p/4.jpg", Stamp with { FileId = 4 }), ("/p/2.jpg", Stamp with { FileId = 2 }),
        };

        var found = store.FindKnown(files, settings, 8);

        Assert.Equal(files.Length, found.Count);
        for (int i = 0; i < files.Length; i++)
        {
            byte[]? key = store.KnownContentKey(files[i].Item1, files[i].Item2);
            Assert.Equal(key, found[i].Key);
            Assert.Equal(key is null ? null : store.Find(key, settings, 8)?.Faces.SelectMany(f => f.Vector), found[i].Photo?.Faces.SelectMany(f => f.Vector));
        }

        // Known at its path, stored under other settings only: its key, no photo.
        Assert.Equal(KeyOf(4), found[4].Key);
        Assert.Null(found[4].Photo);
        Assert.Equal(2, found[0].Photo!.Faces.Count);
        Assert.Equal((12, 22), (found[0].Photo!.ImageWidth, found[0].Photo!.ImageHeight));
        Assert.Empty(store.FindKnown([], settings, 8));
    }

    [Fact]
    public void FindKnown_of_a_folder_read_in_one_scan_answers_as_one_by_one_around_changed_vanished_failed_and_new_photos()
    {
        using var store = EncodingStore.Open(_temp.File("faces.db"));
        long settings = store.SettingsId("s"), other = store.SettingsId("other");
        const int photos = 600;
        string PathOf(int i) => $"/lib/2024/IMG_{i:D4}.jpg";
        for (int i = 0; i < photos; i++)
        {
            StoredPhoto photo = i == 7 ? StoredPhoto.Failed(ImageDecodeFailure.NotAnImage, "not a photo")
                : new StoredPhoto(Faces(i % 3, i), 100 + i, 200 + i);
            store.Save(KeyOf(i), i == 11 ? other : settings, photo, PathOf(i), Stamp with { FileId = i });
        }

        // In the folder's stretch but not asked: a photo that vanished since, and a subfolder's photo.
        store.Save(KeyOf(photos), settings, new StoredPhoto(Faces(1, photos), 1, 1), "/lib/2024/IMG_0300-gone.jpg", Stamp with { FileId = photos });
        store.Save(KeyOf(photos + 1), settings, new StoredPhoto(Faces(2, photos + 1), 1, 1), "/lib/2024/IMG_0400/x.jpg", Stamp with { FileId = photos + 1 });
        var files = Enumerable.Range(0, photos).Select(i => (PathOf(i), Stamp with { FileId = i })).ToList();
        files[5] = (PathOf(5), Stamp with { FileId = 5, Changed = Stamp.Changed + 1 }); // changed in place
        files.Insert(100, ("/lib/2024/IMG_0099a.jpg", Stamp with { FileId = 9999 })); // new

        foreach (int size in new[] { 256, 7, files.Count })
        {
            for (int from = 0; from < files.Count; from += size)
            {
                var batch = files.GetRange(from, Math.Min(size, files.Count - from));
                AssertAsOneByOne(store, batch, settings, store.FindKnown(batch, settings, 8));
            }
        }

        var found = store.FindKnown(files, settings, 8);
        Assert.Null(found[5].Key);
        Assert.Null(found[5].Photo);
        Assert.Null(found[100].Key);
        Assert.Null(found[100].Photo);
        Assert.Equal(ImageDecodeFailure.NotAnImage, found[7].Photo!.Failure);
        Assert.Equal(KeyOf(11), found[11].Key);
        Assert.Null(found[11].Photo);
        Assert.Empty(found[3].Photo!.Faces);
        Assert.Equal(Faces(2, 2).Select(f => f.Vector), found[2].Photo!.Faces.Select(f => f.Vector));

        // The next run stores the photo changed in place under its new stamp: found there, not at the old one.
        var changed = files[5];
        store.Save(KeyOf(9000), settings, new StoredPhoto(Faces(1, 9000), 1, 1), changed.Item1, changed.Item2);
        var again = store.FindKnown(files, settings, 8);
        Assert.Equal(KeyOf(9000), again[5].Key);
        Assert.Equal(Faces(1, 9000)[0].Vector, again[5].Photo!.Faces[0].Vector);
        Assert.Null(store.FindKnown([(PathOf(5), Stamp with { FileId = 5 })], settings, 8)[0].Key);
        AssertAsOneByOne(store, files, settings, again);
    }

    [Fact]
    public void FindKnown_of_a_few_paths_far_apart_answers_each_though_its_scan_is_cut_short()
    {
        using var store = EncodingStore.Open(_temp.File("faces.db"));
        long settings = store.SettingsId("s");
        for (int i = 0; i < 1000; i++)
        {
            store.Save(KeyOf(i), settings, new StoredPhoto(Faces(1, i), 1, 1), $"/lib/{i:D4}.jpg", Stamp with { FileId = i });
        }

        // 1,000 paths lie between the two asked (twice, in reverse order): more than the scan reads for two.
        var files = new[] { ("/lib/0999.jpg", Stamp with { FileId = 999 }), ("/lib/0000.jpg", Stamp with { FileId = 0 }), ("/lib/0999.jpg", Stamp with { FileId = 999 }) };

        var found = store.FindKnown(files, settings, 8);

        Assert.Equal([KeyOf(999), KeyOf(0), KeyOf(999)], found.Select(f => f.Key));
        AssertAsOneByOne(store, files, settings, found);
    }

    [Fact]
    public void FindKnown_of_a_varied_store_gives_every_stored_bit_as_plain_SQL_reads_it()
    {
        string db = _temp.File("faces.db");
        // Paths whose order differs between UTF-16 (.NET's ordinal) and UTF-8 bytes (SQLite's): a fullwidth letter and an
        // emoji; accents, a space, a longer name sharing a prefix. Floats with every odd bit pattern (NaN in the blobs
        // only: SQLite keeps no NaN in a REAL column).
        string[] names = ["a.jpg", "a.jpg.jpg", "é té.jpg", "Ａ.jpg", "😀.jpg", "z/b.jpg", "z/b/c.jpg", "日本.png"];
        float[] odd = [float.NaN, -0f, float.Epsilon, -float.MaxValue, float.PositiveInfinity, 1e-40f, 0.1f, -1f];
        var rng = new Random(7);
        var files = new List<(string Path, PhotoFileStamp Stamp)>();
        using (var store = EncodingStore.Open(db))
        {
            long settings = store.SettingsId("s"), other = store.SettingsId("other");
            for (int i = 0; i < 120; i++)
            {
                string path = $"/lib/{i % 7}/{i:D3}{names[i % names.Length]}";
                int faces = i % 9 == 0 ? 12 : i % 4;
                StoredPhoto photo = i % 10 == 3 ? StoredPhoto.Failed(ImageDecodeFailure.NotAnImage, i % 20 == 3 ? "" : $"detail {i} é")
                    : new StoredPhoto(Enumerable.Range(0, faces).Select(f => new StoredFace(
                        f,
                        new FaceBox(odd[1 + ((i + f) % (odd.Length - 1))], (float)rng.NextDouble(), 3.5f * f, -2f),
                        Enumerable.Range(0, 5).Select(k => new FacePoint(odd[(i + k) % odd.Length], (float)rng.NextDouble())).ToArray(),
                        (float)rng.NextDouble(),
                        Enumerable.Range(0, 512).Select(k => k % 37 == 0 ? odd[(i + k) % odd.Length] : (float)(rng.NextDouble() - 0.5)).ToArray())).ToArray(),
                        100 + i, 200 + i);
                store.Save(KeyOf(i), i % 11 == 5 ? other : settings, photo, path, Stamp with { FileId = i });
                files.Add((path, Stamp with { FileId = i }));
            }

            // One photo at two paths, a path asked twice, one asked at a changed stamp, one never stored.
            store.RememberFile("/lib/1/copy.jpg", Stamp with { FileId = 500 }, KeyOf(1));
            files.Add(("/lib/1/copy.jpg", Stamp with { FileId = 500 }));
            files.Add(files[4]);
            files.Add((files[6].Path, files[6].Stamp with { Changed = 1 }));
            files.Add(("/lib/3/new.jpg", Stamp));
        }

        Sql(db, "UPDATE photos SET failure_detail = NULL WHERE image_width = 0 AND failure_detail = ''");
        var shuffled = files.OrderBy(_ => rng.Next()).ToList();
        using var reopened = EncodingStore.Open(db);
        long id = reopened.SettingsId("s");
        foreach (int size in new[] { 256, 5, 1 })
        {
            for (int from = 0; from < shuffled.Count; from += size)
            {
                var batch = shuffled.GetRange(from, Math.Min(size, shuffled.Count - from));
                var found = reopened.FindKnown(batch, id, 512);
                for (int k = 0; k < batch.Count; k++)
                {
                    Assert.Equal(PlainRead(db, batch[k].Path, batch[k].Stamp, id), Describe(found[k]));
                }
            }
        }

        // A vector of the wrong type is damage, as it was.
        Sql(db, "UPDATE faces SET vector = 'text' WHERE face_index = 1");
        using var damaged = EncodingStore.Open(db);
        var e = Assert.Throws<EncodingStoreException>(() => damaged.FindKnown(files, id, 512));
        Assert.Equal(EncodingStoreProblem.Corrupt, e.Problem);
    }

    // What the store holds for a file, read with plain SQL and described to the bit; as Describe gives a FindKnown answer.
    private static string PlainRead(string db, string path, PhotoFileStamp stamp, long settings)
    {
        using var connection = Connection(db);
        using var file = connection.CreateCommand();
        file.CommandText = "SELECT content_key FROM files WHERE path = $p AND stamp = $s";
        file.Parameters.AddWithValue("$p", path);
        file.Parameters.AddWithValue("$s", stamp.ToBytes());
        if (file.ExecuteScalar() is not byte[] key)
        {
            return "unknown";
        }

        using var photo = connection.CreateCommand();
        photo.CommandText = "SELECT image_width, image_height, failure, failure_detail FROM photos WHERE content_key = $k AND settings_id = $id";
        photo.Parameters.AddWithValue("$k", key);
        photo.Parameters.AddWithValue("$id", settings);
        using var p = photo.ExecuteReader();
        var text = new System.Text.StringBuilder(Convert.ToHexString(key));
        if (!p.Read())
        {
            return text.Append(" not stored").ToString();
        }

        if (!p.IsDBNull(2))
        {
            return text.Append($" failed {p.GetString(2)}: {(p.IsDBNull(3) ? p.GetString(2) : p.GetString(3))}").ToString();
        }

        text.Append($" {p.GetInt64(0)}x{p.GetInt64(1)}");
        using var faces = connection.CreateCommand();
        faces.CommandText = "SELECT face_index, box_x, box_y, box_width, box_height, landmarks, confidence, vector FROM faces WHERE content_key = $k AND settings_id = $id ORDER BY face_index";
        faces.Parameters.AddWithValue("$k", key);
        faces.Parameters.AddWithValue("$id", settings);
        using var f = faces.ExecuteReader();
        while (f.Read())
        {
            float[] box = [(float)f.GetDouble(1), (float)f.GetDouble(2), (float)f.GetDouble(3), (float)f.GetDouble(4)];
            text.Append($" | {f.GetInt64(0)} {Bits(box)} {Convert.ToHexString((byte[])f[5])} {Bits([(float)f.GetDouble(6)])} {Convert.ToHexString((byte[])f[7])}");
        }

        return text.ToString();
    }

    private static string Describe((byte[]? Key, StoredPhoto? Photo) found)
    {
        if (found.Key is null)
        {
            return "unknown";
        }

        var text = new System.Text.StringBuilder(Convert.ToHexString(found.Key));
        if (found.Photo is not { } photo)
        {
            return text.Append(" not stored").ToString();
        }

        if (photo.Failure is { } failure)
        {
            return text.Append($" failed {failure}: {photo.FailureDetail}").ToString();
        }

        text.Append($" {photo.ImageWidth}x{photo.ImageHeight}");
        foreach (StoredFace face in photo.Faces)
        {
            float[] box = [face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height];
            text.Append($" | {face.FaceIndex} {Bits(box)} {Bits(face.Landmarks.SelectMany(l => new[] { l.X, l.Y }).ToArray())} {Bits([face.Confidence])} {Bits(face.Vector)}");
        }

        return text.ToString();
    }

    private static string Bits(float[] values) => Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    private static byte[] KeyOf(int i) => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i));

    private static StoredFace[] Faces(int count, int seed) => Enumerable.Range(0, count)
        .Select(f => new StoredFace(f, new FaceBox(seed, f, 5, 5), Enumerable.Range(0, 5).Select(k => new FacePoint(k, seed)).ToArray(), 0.5f, Enumerable.Repeat((float)seed + f / 10f, 8).ToArray()))
        .ToArray();

    // Each answer as KnownContentKey and Find give it, every property of every face.
    private static void AssertAsOneByOne(EncodingStore store, IReadOnlyList<(string Path, PhotoFileStamp Stamp)> files, long settings, IReadOnlyList<(byte[]? Key, StoredPhoto? Photo)> found)
    {
        Assert.Equal(files.Count, found.Count);
        for (int i = 0; i < files.Count; i++)
        {
            byte[]? key = store.KnownContentKey(files[i].Path, files[i].Stamp);
            StoredPhoto? photo = key is null ? null : store.Find(key, settings, 8);
            Assert.Equal(key, found[i].Key);
            Assert.Equal(photo is null, found[i].Photo is null);
            if (photo is not null)
            {
                Assert.Equal((photo.ImageWidth, photo.ImageHeight, photo.Failure, photo.FailureDetail), (found[i].Photo!.ImageWidth, found[i].Photo!.ImageHeight, found[i].Photo!.Failure, found[i].Photo!.FailureDetail));
                Assert.Equal(photo.Faces.Count, found[i].Photo!.Faces.Count);
                for (int f = 0; f < photo.Faces.Count; f++)
                {
                    StoredFace a = photo.Faces[f], b = found[i].Photo!.Faces[f];
                    Assert.Equal((a.FaceIndex, a.Box, a.Confidence), (b.FaceIndex, b.Box, b.Confidence));
                    Assert.Equal(a.Landmarks, b.Landmarks);
                    Assert.Equal(a.Vector, b.Vector);
                }
            }
        }
    }

    [Fact]
    public void A_page_that_opening_does_not_read_is_damage_to_every_read_that_meets_it_and_to_the_full_check()
    {
        string db = StoreOf200Photos();

        byte[] intact = File.ReadAllBytes(db);
        int pageSize = (intact[16] << 8) | intact[17];
        var everyPhoto = Enumerable.Range(0, 200).Select(i => ($"/p/{i}.jpg", Stamp with { FileId = i })).ToArray();
        int unseenAtOpen = 0;
        for (int page = pageSize; page < intact.Length; page += pageSize)
        {
            // One page's b-tree header made garbage (its cell count far beyond what a page holds).
            byte[] bytes = intact.ToArray();
            Array.Fill(bytes, (byte)0xA5, page + 2, 30);
            File.WriteAllBytes(db, bytes);
            EncodingStore store;
            try
            {
                store = EncodingStore.Open(db);
            }
            catch (EncodingStoreException e) when (e.Problem == EncodingStoreProblem.Corrupt)
            {
                continue;
            }

            using (store)
            {
                unseenAtOpen++;
                var read = Assert.Throws<EncodingStoreException>(() => store.FindKnown(everyPhoto, store.SettingsId("s"), 512));
                Assert.Equal(EncodingStoreProblem.Corrupt, read.Problem);
                AssertNamesAndRebuilds(read, db);
                var check = Assert.Throws<EncodingStoreException>(store.CheckIntact);
                Assert.Equal(EncodingStoreProblem.Corrupt, check.Problem);
                AssertNamesAndRebuilds(check, db);
            }
        }

        // Opening reads a page or two of each table: most pages are met only when read.
        Assert.InRange(unseenAtOpen, 10, int.MaxValue);
        File.WriteAllBytes(db, intact);
        using var whole = EncodingStore.Open(db);
        whole.CheckIntact();
        Assert.All(whole.FindKnown(everyPhoto, whole.SettingsId("s"), 512), f => Assert.NotNull(f.Photo));
    }

    [Fact]
    public void A_vector_of_the_wrong_length_is_reported_as_damage()
    {
        string db = _temp.File("faces.db");
        using var store = EncodingStore.Open(db);
        long settings = store.SettingsId("s");
        store.Save(Key, settings, new StoredPhoto([new StoredFace(0, default, new FacePoint[5], 1f, new float[4])], 1, 1), "/a", Stamp);

        var e = Assert.Throws<EncodingStoreException>(() => store.Find(Key, settings, vectorLength: 512));

        Assert.Equal(EncodingStoreProblem.Corrupt, e.Problem);
        AssertNamesAndRebuilds(e, db);
    }

    [Fact]
    public void A_store_from_a_newer_schema_is_refused_naming_it_and_how_to_rebuild()
    {
        string db = _temp.File("faces.db");
        EncodingStore.Open(db).Dispose();
        Sql(db, $"PRAGMA user_version = {EncodingStore.SchemaVersion + 1}");

        var e = Assert.Throws<EncodingStoreException>(() => EncodingStore.Open(db));

        Assert.Equal(EncodingStoreProblem.NewerSchema, e.Problem);
        Assert.Contains("newer FaceCluster", e.Message);
        AssertNamesAndRebuilds(e, db);
    }

    [Fact]
    public void A_store_of_schema_1_is_upgraded_keeping_its_encodings_and_forgetting_its_paths()
    {
        string db = _temp.File("faces.db");
        using (var store = EncodingStore.Open(db))
        {
            store.Save(Key, store.SettingsId("s"), new StoredPhoto([], 1, 1), "/a", Stamp);
        }

        // Schema 1 knew a path by size and modification time only.
        Sql(db, """
            DROP TABLE files;
            CREATE TABLE files (path TEXT NOT NULL PRIMARY KEY, size INTEGER NOT NULL, modified INTEGER NOT NULL, content_key BLOB NOT NULL) WITHOUT ROWID;
            INSERT INTO files VALUES ('/a', 1234, 5678, x'00');
            PRAGMA user_version = 1;
            """);

        using (var upgraded = EncodingStore.Open(db))
        {
            Assert.NotNull(upgraded.Find(Key, upgraded.SettingsId("s"), 8));
            Assert.Null(upgraded.KnownContentKey("/a", Stamp));
            upgraded.RememberFile("/a", Stamp, Key);
            Assert.Equal(Key, upgraded.KnownContentKey("/a", Stamp));
        }

        Assert.Equal(EncodingStore.SchemaVersion, Scalar(db, "PRAGMA user_version"));
    }

    [Fact]
    public void Another_sqlite_database_is_refused_and_left_alone()
    {
        string db = _temp.File("other.db");
        Sql(db, "CREATE TABLE notes (text TEXT)");

        var e = Assert.Throws<EncodingStoreException>(() => EncodingStore.Open(db));

        Assert.Equal(EncodingStoreProblem.NotAStore, e.Problem);
        Assert.Contains(db, e.Message);
        Assert.Equal(1L, Scalar(db, "SELECT count(*) FROM sqlite_master"));
    }

    [Fact]
    public void A_store_locked_longer_than_the_busy_timeout_gives_a_clear_error_naming_it()
    {
        string db = _temp.File("faces.db");
        EncodingStore.Open(db).Dispose();
        using var holder = Connection(db);
        using var exclusive = holder.BeginTransaction(deferred: false);
        Sql(holder, "INSERT INTO settings (description) VALUES ('held')");

        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<EncodingStoreException>(() => EncodingStore.Open(db, TimeSpan.FromSeconds(1)));

        Assert.Equal(EncodingStoreProblem.Busy, e.Problem);
        Assert.Contains(db, e.Message);
        Assert.Contains("locked", e.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
        // Only a live process holds an SQLite lock (the system drops a dead one's): the store is in use, and deleting
        // it would pull it from under that process.
        Assert.Contains("another process is using it", e.Message);
        Assert.Contains("Get-FaceEncoding -Store", e.Message);
        Assert.DoesNotContain("delete", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_store_another_process_holds_names_that_process()
    {
        string db = _temp.File("faces.db");
        EncodingStore.Open(db).Dispose();
        // Another process (Python's sqlite3) holds the store's write lock until its input closes.
        using var holder = Process.Start(new ProcessStartInfo(PythonOracle.Python)
        {
            ArgumentList =
            {
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); " +
                "c.execute(\"INSERT INTO settings (description) VALUES ('held')\"); print('held', flush=True); sys.stdin.read()",
                db,
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            Assert.Equal("held", holder.StandardOutput.ReadLine());

            var e = Assert.Throws<EncodingStoreException>(() => EncodingStore.Open(db, TimeSpan.FromSeconds(1)));

            Assert.Equal(EncodingStoreProblem.Busy, e.Problem);
            // Linux names it (from /proc/locks); elsewhere the message says only that another process is using it.
            Assert.Contains(OperatingSystem.IsLinux() ? $"another process is using it (process {holder.Id} (python3))," : "another process is using it,", e.Message);
        }
        finally
        {
            holder.StandardInput.Close();
            holder.WaitForExit(10_000);
        }
    }

    [Fact]
    public void A_lock_shorter_than_the_busy_timeout_is_waited_for()
    {
        string db = _temp.File("faces.db");
        EncodingStore.Open(db).Dispose();
        using var holder = Connection(db);
        var exclusive = holder.BeginTransaction(deferred: false);
        Sql(holder, "INSERT INTO settings (description) VALUES ('held')");
        using var release = new Timer(_ => exclusive.Commit(), null, 500, Timeout.Infinite);

        using var store = EncodingStore.Open(db, TimeSpan.FromSeconds(10));

        Assert.True(store.SettingsId("mine") > 1);
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_a_clear_error_naming_the_file()
    {
        string db = Path.Combine(_temp.File("missing-folder"), "faces.db");

        var e = Assert.Throws<EncodingStoreException>(() => EncodingStore.Open(db));

        Assert.Equal(EncodingStoreProblem.Unusable, e.Problem);
        Assert.Contains(db, e.Message);
    }

    // A store of 200 photos of one face each, /p/0.jpg to /p/199.jpg (stamp FileId i), under settings "s".
    private string StoreOf200Photos()
    {
        string db = _temp.File("faces.db");
        using var store = EncodingStore.Open(db);
        long settings = store.SettingsId("s");
        for (int i = 0; i < 200; i++)
        {
            var key = Key.ToArray();
            key[0] = (byte)i;
            var face = new StoredFace(0, new FaceBox(0, 0, 1, 1), new FacePoint[5], 1f, new float[512]);
            store.Save(key, settings, new StoredPhoto([face], 10, 10), $"/p/{i}.jpg", Stamp with { FileId = i });
        }

        return db;
    }

    private static void AssertNamesAndRebuilds(EncodingStoreException e, string db)
    {
        Assert.Equal(db, e.FilePath);
        Assert.Contains($"'{db}'", e.Message);
        Assert.Contains("to rebuild it, delete", e.Message);
    }

    private static SqliteConnection Connection(string db)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Sql(string db, string sql)
    {
        using var connection = Connection(db);
        Sql(connection, sql);
    }

    private static void Sql(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(string db, string sql)
    {
        using var connection = Connection(db);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
