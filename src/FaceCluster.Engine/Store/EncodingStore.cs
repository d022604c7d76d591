using System.Runtime.InteropServices;
using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace FaceCluster.Engine.Store;

/// <summary>
/// One SQLite file (WAL) of encodings, keyed by the SHA-256 of each photo's bytes and the settings that produced
/// them (<see cref="EncodingSettings"/>), plus the last content key seen at each path with the file's
/// <see cref="PhotoFileStamp"/>, so an unchanged file need not be hashed again. Several processes may use one file at once:
/// each write is one short transaction, and a process waits up to the busy timeout for another's. Safe to call from
/// several threads (calls take turns on one connection). Every SQLite failure surfaces as an
/// <see cref="EncodingStoreException"/> naming the file. A read-only store (see <see cref="IsReadOnly"/>) is only read:
/// it serves what it holds, and asking it to store a photo fails with <see cref="EncodingStoreProblem.ReadOnly"/>.
/// </summary>
public sealed class EncodingStore : IEncodingStore
{
    /// <summary>The store schema this version reads and writes (SQLite's user_version).</summary>
    public const int SchemaVersion = 2;

    /// <summary>How long a call waits for another process's lock before failing, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    // SQLite's application_id: marks the file as a FaceCluster store ("FCes").
    private const int ApplicationId = 0x46436573;
    private const int FloatsPerLandmarks = 10;

    private const string Schema = """
        CREATE TABLE settings (
            id INTEGER PRIMARY KEY,
            description TEXT NOT NULL UNIQUE);
        CREATE TABLE photos (
            content_key BLOB NOT NULL,
            settings_id INTEGER NOT NULL REFERENCES settings (id),
            image_width INTEGER NOT NULL,
            image_height INTEGER NOT NULL,
            failure TEXT,
            failure_detail TEXT,
            PRIMARY KEY (content_key, settings_id)) WITHOUT ROWID;
        CREATE TABLE faces (
            content_key BLOB NOT NULL,
            settings_id INTEGER NOT NULL,
            face_index INTEGER NOT NULL,
            box_x REAL NOT NULL, box_y REAL NOT NULL, box_width REAL NOT NULL, box_height REAL NOT NULL,
            landmarks BLOB NOT NULL,
            confidence REAL NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (content_key, settings_id, face_index)) WITHOUT ROWID;
        """ + FilesTable;

    // Schema 1 kept size and modification time only; schema 2 keeps the whole stamp.
    private const string FilesTable = """
        CREATE TABLE files (
            path TEXT NOT NULL PRIMARY KEY,
            stamp BLOB NOT NULL,
            content_key BLOB NOT NULL) WITHOUT ROWID;
        """;

    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeSpan _busyTimeout;
    private readonly SqliteCommand _findFile;
    private readonly SqliteCommand _rememberFile;
    private readonly SqliteCommand _findPhoto;
    private readonly SqliteCommand _findFaces;
    // Stepped through SQLitePCL's raw API, not a SqliteDataReader: a warm rerun reads every stored face here, and the
    // reader's checks and copies a column took about half the scan's time.
    private readonly sqlite3_stmt _scanFiles;
    private readonly SqliteCommand _insertPhoto;
    private readonly SqliteCommand _insertFace;

    private EncodingStore(string filePath, SqliteConnection connection, TimeSpan busyTimeout, bool readOnly)
    {
        FilePath = filePath;
        IsReadOnly = readOnly;
        _connection = connection;
        _busyTimeout = busyTimeout;
        _findFile = Command("SELECT content_key FROM files WHERE path = $path AND stamp = $stamp", "$path", "$stamp");
        _rememberFile = Command(
            "INSERT INTO files (path, stamp, content_key) VALUES ($path, $stamp, $key) " +
            "ON CONFLICT (path) DO UPDATE SET stamp = excluded.stamp, content_key = excluded.content_key",
            "$path", "$stamp", "$key");
        _findPhoto = Command(
            "SELECT image_width, image_height, failure, failure_detail FROM photos WHERE content_key = $key AND settings_id = $settings",
            "$key", "$settings");
        _findFaces = Command(
            "SELECT face_index, box_x, box_y, box_width, box_height, landmarks, confidence, vector FROM faces " +
            "WHERE content_key = $key AND settings_id = $settings ORDER BY face_index",
            "$key", "$settings");
        _scanFiles = Statement(
            "SELECT f.path, f.stamp, f.content_key, p.image_width, p.image_height, p.failure, p.failure_detail, " +
            "fa.face_index, fa.box_x, fa.box_y, fa.box_width, fa.box_height, fa.landmarks, fa.confidence, fa.vector " +
            "FROM files f LEFT JOIN photos p ON p.content_key = f.content_key AND p.settings_id = ?3 " +
            "LEFT JOIN faces fa ON fa.content_key = p.content_key AND fa.settings_id = p.settings_id AND p.failure IS NULL " +
            "WHERE f.path >= ?1 AND f.path <= ?2 ORDER BY f.path, fa.face_index");
        _insertPhoto = Command(
            "INSERT INTO photos (content_key, settings_id, image_width, image_height, failure, failure_detail) " +
            "VALUES ($key, $settings, $width, $height, $failure, $detail) ON CONFLICT DO NOTHING",
            "$key", "$settings", "$width", "$height", "$failure", "$detail");
        _insertFace = Command(
            "INSERT INTO faces (content_key, settings_id, face_index, box_x, box_y, box_width, box_height, landmarks, confidence, vector) " +
            "VALUES ($key, $settings, $index, $x, $y, $width, $height, $landmarks, $confidence, $vector)",
            "$key", "$settings", "$index", "$x", "$y", "$width", "$height", "$landmarks", "$confidence", "$vector");
    }

    /// <summary>Full path of the store file.</summary>
    public string FilePath { get; }

    public string Name => FilePath;

    /// <summary>
    /// Whether the store is only read: its file is marked read-only (no write permission for anyone on Unix, the
    /// read-only attribute on Windows), or SQLite could open it for reading only (no permission, a read-only file
    /// system).
    /// </summary>
    public bool IsReadOnly { get; }

    /// <summary>
    /// Whether <paramref name="path"/> is a FaceCluster encoding store, or the -wal or -shm file SQLite keeps beside
    /// one. Reads only (through SQLite, so a store still being written counts too); anything it cannot read is not a
    /// store.
    /// </summary>
    public static bool IsStoreFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        foreach (string companion in (ReadOnlySpan<string>)["-wal", "-shm"])
        {
            if (path.EndsWith(companion, StringComparison.Ordinal))
            {
                path = path[..^companion.Length];
                break;
            }
        }

        try
        {
            using (FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                Span<byte> header = stackalloc byte[16];
                if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.SequenceEqual("SQLite format 3\0"u8))
                {
                    return false;
                }
            }

            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
            }.ToString());
            connection.Open();
            return Scalar(connection, "PRAGMA application_id") == ApplicationId;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            return false;
        }
    }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating it (not its folder) when missing, and checks that it is
    /// a FaceCluster store of a schema this version reads and that SQLite can read each table (a few pages, not the
    /// file: <see cref="CheckIntact"/> checks the whole file).
    /// </summary>
    /// <exception cref="EncodingStoreException">The file is corrupt, locked too long, newer, not a store, or cannot be opened.</exception>
    public static EncodingStore Open(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The encoding store keeps vectors as little-endian floats.");
        }

        string filePath = Path.GetFullPath(path);
        TimeSpan timeout = busyTimeout ?? DefaultBusyTimeout;
        bool markedReadOnly = IsMarkedReadOnly(filePath);
        try
        {
            return OpenConnection(filePath, timeout, markedReadOnly, immutable: false);
        }
        catch (EncodingStoreException e) when (e.InnerException is SqliteException { SqliteErrorCode: 14 }
            && File.Exists(filePath) && !File.Exists(filePath + "-shm") && (markedReadOnly || !CanOpenForWriting(filePath)))
        {
            // SQLITE_CANTOPEN: a read-only store where SQLite cannot make the WAL index (-shm), on a read-only file
            // system or in a folder this user may not write. Nothing can write the store from here: it is read as an
            // unchanging file.
            return OpenConnection(filePath, timeout, readOnly: true, immutable: true);
        }
    }

    private static EncodingStore OpenConnection(string filePath, TimeSpan timeout, bool readOnly, bool immutable)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = immutable ? new Uri(filePath).AbsoluteUri + "?immutable=1" : filePath,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // Closing the store must release the file (and checkpoint the WAL), not park it in a pool.
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        }.ToString());
        try
        {
            Translate(filePath, timeout, () =>
            {
                connection.Open();
                // SQLite opens a file it may not write for reading only.
                readOnly |= SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1;
                Execute(connection, $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds}");
                // Up to 64 MiB of pages kept (SQLite's default is 2 MiB): the inner pages of a million faces' b-trees
                // (about 6 MB with 16 KB pages) stay cached, so looking a photo up reads only its leaves.
                Execute(connection, "PRAGMA cache_size = -65536");
                // Pages read through a memory map, up to SQLite's own cap (2 GB, most of a million faces): a warm
                // rerun reads every stored face, and copying each page in through read(2) took half its time. Only on
                // a fixed disk: through a map, an I/O error (a share or a USB disk gone) is a signal that ends the
                // process, not an error the run reports.
                if (OnFixedDisk(filePath))
                {
                    Execute(connection, "PRAGMA mmap_size = 2147418112");
                }

                if (!readOnly)
                {
                    // A new store's pages: a face's row (its 2 KB vector) fits a 16 KB page seven times, where in
                    // SQLite's default 4 KB page it spills into an overflow page of its own, near 5 KB a face
                    // (docs/benchmarks.md). Set before the first write; an existing store keeps its pages.
                    Execute(connection, "PRAGMA page_size = 16384");
                    Execute(connection, "PRAGMA journal_mode = WAL");
                    Execute(connection, "PRAGMA synchronous = NORMAL");
                }

                Prepare(connection, filePath, readOnly);
            });
            return new EncodingStore(filePath, connection, timeout, readOnly);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool OnFixedDisk(string filePath)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(filePath)).DriveType == DriveType.Fixed;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // A UNC path on Windows, or a file system that cannot be told: no map.
            return false;
        }
    }

    /// <summary>
    /// The id of <paramref name="description"/> (an <see cref="EncodingSettings"/> text), added if new; in a read-only
    /// store that lacks it, an id no entry has.
    /// </summary>
    public long SettingsId(string description) => Locked(() =>
    {
        using var select = Command("SELECT id FROM settings WHERE description = $d", "$d");
        select.Parameters["$d"].Value = description;
        if (select.ExecuteScalar() is long id)
        {
            return id;
        }

        if (IsReadOnly)
        {
            return -1;
        }

        using var insert = Command("INSERT INTO settings (description) VALUES ($d) ON CONFLICT DO NOTHING", "$d");
        insert.Parameters["$d"].Value = description;
        insert.ExecuteNonQuery();
        return (long)select.ExecuteScalar()!;
    });

    /// <summary>
    /// Runs SQLite's check of the whole file (<c>PRAGMA quick_check</c>: every page, every b-tree), which opening the
    /// store does not: it reads the whole file. Reads only.
    /// </summary>
    /// <exception cref="EncodingStoreException"><see cref="EncodingStoreProblem.Corrupt"/> naming what SQLite found.</exception>
    public void CheckIntact()
    {
        List<string> problems = Strings("PRAGMA quick_check");
        if (problems is not ["ok"])
        {
            throw Damaged($"SQLite's check found: {string.Join("; ", problems.Take(3))}");
        }
    }

    /// <summary>The content key last seen at <paramref name="path"/>, if the file still has that stamp.</summary>
    public byte[]? KnownContentKey(string path, PhotoFileStamp stamp) => Locked(() =>
    {
        SetFile(_findFile, path, stamp);
        return _findFile.ExecuteScalar() as byte[];
    });

    /// <summary>
    /// Records that the file at <paramref name="path"/> with this stamp has content <paramref name="contentKey"/>; a
    /// read-only store records nothing (the file is hashed again next time).
    /// </summary>
    public void RememberFile(string path, PhotoFileStamp stamp, byte[] contentKey) => Locked(() =>
    {
        if (IsReadOnly)
        {
            return 0;
        }

        SetFile(_rememberFile, path, stamp);
        _rememberFile.Parameters["$key"].Value = contentKey;
        _rememberFile.ExecuteNonQuery();
        return 0;
    });

    /// <summary>
    /// What encoding the photo with <paramref name="contentKey"/> under <paramref name="settingsId"/> gave, or null if
    /// it is not stored. An entry whose vectors are not <paramref name="vectorLength"/> long is reported as damage.
    /// </summary>
    public StoredPhoto? Find(byte[] contentKey, long settingsId, int vectorLength) =>
        Locked(() => FindLocked(contentKey, settingsId, vectorLength));

    /// <summary>
    /// All of <paramref name="files"/> in one read transaction, taking the store's lock once. The stretch of paths they
    /// span is read in one scan of the files table (joined to their photos and faces): a folder's photos, sorted, as a
    /// walk gives them, cost one statement, not three each. A file the scan does not find at its stamp (new, changed,
    /// or beyond a scan cut short because the stretch holds many more paths than were asked) is looked up alone.
    /// </summary>
    public IReadOnlyList<(byte[]? Key, StoredPhoto? Photo)> FindKnown(IReadOnlyList<(string Path, PhotoFileStamp Stamp)> files, long settingsId, int vectorLength) => Locked(() =>
    {
        var found = new (byte[]? Key, StoredPhoto? Photo)[files.Count];
        if (files.Count == 0)
        {
            return found;
        }

        // One snapshot for the batch: SQLite takes its read lock once, not once a statement.
        using var transaction = _connection.BeginTransaction(deferred: true);
        foreach (var command in new[] { _findFile, _findPhoto, _findFaces })
        {
            command.Transaction = transaction;
        }

        ScanLocked(files, settingsId, vectorLength, found);
        for (int i = 0; i < files.Count; i++)
        {
            if (found[i].Key is null)
            {
                SetFile(_findFile, files[i].Path, files[i].Stamp);
                if (_findFile.ExecuteScalar() is byte[] key)
                {
                    found[i] = (key, FindLocked(key, settingsId, vectorLength));
                }
            }
        }

        transaction.Commit();
        return found;
    });

    // The files table from the least to the greatest of the paths asked (ordinal; a path SQLite orders elsewhere is
    // only missed, then looked up alone), each path asked that is there at its stamp answered in found. Stops after
    // a few times as many paths as were asked: a stretch that holds far more is left to the look-ups one by one.
    private void ScanLocked(IReadOnlyList<(string Path, PhotoFileStamp Stamp)> files, long settingsId, int vectorLength, (byte[]? Key, StoredPhoto? Photo)[] found)
    {
        // Each path asked, its first index; sameAs chains the indices of a path asked more than once.
        var firstAt = new Dictionary<string, int>(files.Count, StringComparer.Ordinal);
        int[] sameAs = new int[files.Count];
        string least = files[0].Path, greatest = files[0].Path;
        for (int i = files.Count - 1; i >= 0; i--)
        {
            string path = files[i].Path;
            sameAs[i] = firstAt.TryGetValue(path, out int next) ? next : -1;
            firstAt[path] = i;
            least = string.CompareOrdinal(path, least) < 0 ? path : least;
            greatest = string.CompareOrdinal(path, greatest) > 0 ? path : greatest;
        }

        Check(raw.sqlite3_bind_text(_scanFiles, 1, least));
        Check(raw.sqlite3_bind_text(_scanFiles, 2, greatest));
        Check(raw.sqlite3_bind_int64(_scanFiles, 3, settingsId));
        int budget = 4 * files.Count + 64;
        Span<byte> asked = stackalloc byte[PhotoFileStamp.Length];
        try
        {
            bool more = Step(_scanFiles);
            while (more && budget-- > 0)
            {
                // A file's rows (one a face) follow each other: they are told apart by their path's bytes.
                byte[] pathBytes = raw.sqlite3_column_blob(_scanFiles, 0).ToArray();
                bool NextOfThisFile() => (more = Step(_scanFiles)) && raw.sqlite3_column_blob(_scanFiles, 0).SequenceEqual(pathBytes);
                int match = -1;
                if (firstAt.TryGetValue(System.Text.Encoding.UTF8.GetString(pathBytes), out int i) && raw.sqlite3_column_type(_scanFiles, 1) == raw.SQLITE_BLOB)
                {
                    ReadOnlySpan<byte> stamp = raw.sqlite3_column_blob(_scanFiles, 1);
                    for (; i >= 0 && match < 0; i = sameAs[i])
                    {
                        files[i].Stamp.WriteTo(asked);
                        match = asked.SequenceEqual(stamp) ? i : -1;
                    }
                }

                if (match < 0)
                {
                    // Not asked, or changed since: its faces' rows are passed over.
                    while (NextOfThisFile())
                    {
                    }

                    continue;
                }

                byte[] key = Blob(_scanFiles, 2).ToArray();
                StoredPhoto? photo = null;
                if (raw.sqlite3_column_type(_scanFiles, 3) == raw.SQLITE_NULL)
                {
                    more = Step(_scanFiles);
                }
                else if (FailedPhoto(_scanFiles, 3) is { } failed)
                {
                    photo = failed;
                    more = Step(_scanFiles);
                }
                else
                {
                    int width = raw.sqlite3_column_int(_scanFiles, 3), height = raw.sqlite3_column_int(_scanFiles, 4);
                    var faces = new List<StoredFace>(2);
                    do
                    {
                        if (raw.sqlite3_column_type(_scanFiles, 7) != raw.SQLITE_NULL)
                        {
                            faces.Add(ScannedFace(faces.Count, vectorLength));
                        }
                    }
                    while (NextOfThisFile());
                    photo = new StoredPhoto(faces, width, height);
                }

                for (int k = match; k >= 0; k = sameAs[k])
                {
                    if (k == match || files[k].Stamp == files[match].Stamp)
                    {
                        found[k] = (key, photo);
                    }
                }
            }
        }
        finally
        {
            raw.sqlite3_reset(_scanFiles);
        }
    }

    // The scan's faces row from column 7 on (face_index, box, landmarks, confidence, vector); index: the face expected.
    private StoredFace ScannedFace(int index, int vectorLength)
    {
        if (raw.sqlite3_column_int64(_scanFiles, 7) != index)
        {
            throw Damaged("a face entry is malformed");
        }

        return Face(
            index,
            new FaceBox(Real(8), Real(9), Real(10), Real(11)),
            Blob(_scanFiles, 12),
            Real(13),
            Blob(_scanFiles, 14),
            vectorLength);

        float Real(int column) => raw.sqlite3_column_type(_scanFiles, column) is raw.SQLITE_FLOAT or raw.SQLITE_INTEGER
            ? (float)raw.sqlite3_column_double(_scanFiles, column)
            : throw Damaged("an entry has the wrong type");
    }

    // A photos row's failure and failure_detail (columns first + 2 and first + 3) of the scan: the failed photo, or
    // null when it was decoded.
    private StoredPhoto? FailedPhoto(sqlite3_stmt row, int first)
    {
        if (raw.sqlite3_column_type(row, first + 2) == raw.SQLITE_NULL)
        {
            return null;
        }

        string? detail = raw.sqlite3_column_type(row, first + 3) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(row, first + 3).utf8_to_string();
        return Failed(raw.sqlite3_column_text(row, first + 2).utf8_to_string(), detail);
    }

    private StoredPhoto? FindLocked(byte[] contentKey, long settingsId, int vectorLength)
    {
        // No read transaction needed: a photo and its faces are written in one transaction and never changed, so a
        // photo row that can be seen has all its faces.
        _findPhoto.Parameters["$key"].Value = contentKey;
        _findPhoto.Parameters["$settings"].Value = settingsId;
        using var photo = _findPhoto.ExecuteReader();
        if (!photo.Read())
        {
            return null;
        }

        if (PhotoRow(photo, 0) is { } failed)
        {
            return failed;
        }

        int width = photo.GetInt32(0), height = photo.GetInt32(1);
        _findFaces.Parameters["$key"].Value = contentKey;
        _findFaces.Parameters["$settings"].Value = settingsId;
        var faces = new List<StoredFace>();
        using var rows = _findFaces.ExecuteReader();
        while (rows.Read())
        {
            faces.Add(FaceRow(rows, 0, faces.Count, vectorLength));
        }

        return new StoredPhoto(faces, width, height);
    }

    // A photos row's image_width, image_height, failure and failure_detail from column first on: the failed photo, or
    // null when it was decoded (its faces are rows of their own).
    private StoredPhoto? PhotoRow(SqliteDataReader row, int first) => row.IsDBNull(first + 2)
        ? null
        : Failed(row.GetString(first + 2), row.IsDBNull(first + 3) ? null : row.GetString(first + 3));

    private StoredPhoto Failed(string reason, string? detail) => Enum.TryParse(reason, out ImageDecodeFailure failure)
        ? StoredPhoto.Failed(failure, detail ?? failure.ToString())
        : throw Damaged($"unknown failure '{reason}'");

    // A faces row's face_index, box, landmarks, confidence and vector from column first on; index: the face expected.
    private StoredFace FaceRow(SqliteDataReader row, int first, int index, int vectorLength) => row.GetInt32(first) == index
        ? Face(
            index,
            new FaceBox(row.GetFloat(first + 1), row.GetFloat(first + 2), row.GetFloat(first + 3), row.GetFloat(first + 4)),
            (byte[])row[first + 5],
            row.GetFloat(first + 6),
            (byte[])row[first + 7],
            vectorLength)
        : throw Damaged("a face entry is malformed");

    // A face from its columns, the landmarks and the vector as the store keeps them (little-endian floats), each
    // checked for its length.
    private StoredFace Face(int index, FaceBox box, ReadOnlySpan<byte> landmarks, float confidence, ReadOnlySpan<byte> vector, int vectorLength)
    {
        if (landmarks.Length % sizeof(float) != 0 || vector.Length % sizeof(float) != 0)
        {
            throw Damaged("a vector has a partial number");
        }

        if (landmarks.Length != FloatsPerLandmarks * sizeof(float) || vector.Length != vectorLength * sizeof(float))
        {
            throw Damaged("a face entry is malformed");
        }

        ReadOnlySpan<float> xy = MemoryMarshal.Cast<byte, float>(landmarks);
        var points = new FacePoint[FloatsPerLandmarks / 2];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new FacePoint(xy[2 * i], xy[2 * i + 1]);
        }

        return new StoredFace(index, box, points, confidence, MemoryMarshal.Cast<byte, float>(vector).ToArray());
    }

    // A blob column of a raw statement; damage when the column holds another type.
    private ReadOnlySpan<byte> Blob(sqlite3_stmt row, int column) => raw.sqlite3_column_type(row, column) == raw.SQLITE_BLOB
        ? raw.sqlite3_column_blob(row, column)
        : throw Damaged("an entry has the wrong type");

    // Steps a raw statement: whether it gave a row. SQLite's failures are thrown as Microsoft.Data.Sqlite's.
    private bool Step(sqlite3_stmt statement)
    {
        int rc = raw.sqlite3_step(statement);
        if (rc is raw.SQLITE_ROW or raw.SQLITE_DONE)
        {
            return rc == raw.SQLITE_ROW;
        }

        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        return false;
    }

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _connection.Handle);

    private sqlite3_stmt Statement(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_connection.Handle, sql, out sqlite3_stmt statement));
        return statement;
    }

    /// <summary>
    /// Stores what encoding the photo with <paramref name="contentKey"/> gave and remembers its path, in one
    /// transaction. A photo another process stored meanwhile is kept as it is (the same bytes and settings give the
    /// same faces).
    /// </summary>
    /// <exception cref="EncodingStoreException"><see cref="EncodingStoreProblem.ReadOnly"/> for a read-only store.</exception>
    public void Save(byte[] contentKey, long settingsId, StoredPhoto photo, string path, PhotoFileStamp stamp) => Locked(() =>
    {
        if (IsReadOnly)
        {
            throw CannotStore(path);
        }

        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var command in new[] { _insertPhoto, _insertFace, _rememberFile })
        {
            command.Transaction = transaction;
        }

        _insertPhoto.Parameters["$key"].Value = contentKey;
        _insertPhoto.Parameters["$settings"].Value = settingsId;
        _insertPhoto.Parameters["$width"].Value = photo.ImageWidth;
        _insertPhoto.Parameters["$height"].Value = photo.ImageHeight;
        _insertPhoto.Parameters["$failure"].Value = (object?)photo.Failure?.ToString() ?? DBNull.Value;
        _insertPhoto.Parameters["$detail"].Value = photo.Failure is null ? DBNull.Value : photo.FailureDetail;
        if (_insertPhoto.ExecuteNonQuery() == 1)
        {
            foreach (var face in photo.Faces)
            {
                var p = _insertFace.Parameters;
                p["$key"].Value = contentKey;
                p["$settings"].Value = settingsId;
                p["$index"].Value = face.FaceIndex;
                p["$x"].Value = face.Box.X;
                p["$y"].Value = face.Box.Y;
                p["$width"].Value = face.Box.Width;
                p["$height"].Value = face.Box.Height;
                p["$landmarks"].Value = Bytes(face.Landmarks.SelectMany(l => new[] { l.X, l.Y }).ToArray());
                p["$confidence"].Value = face.Confidence;
                p["$vector"].Value = Bytes(face.Vector);
                _insertFace.ExecuteNonQuery();
            }
        }

        SetFile(_rememberFile, path, stamp);
        _rememberFile.Parameters["$key"].Value = contentKey;
        _rememberFile.ExecuteNonQuery();
        transaction.Commit();
        return 0;
    });

    public IEnumerable<(KnownFile File, StoredPhoto? Photo)> KnownPhotos(string? folder, long settingsId, int vectorLength)
    {
        List<KnownFile> files = Locked(() =>
        {
            using var select = Command(
                "SELECT path, stamp, content_key FROM files WHERE $folder IS NULL OR substr(path, 1, length($folder)) = $folder ORDER BY path",
                "$folder");
            select.Parameters["$folder"].Value = (object?)folder ?? DBNull.Value;
            using var rows = select.ExecuteReader();
            var list = new List<KnownFile>();
            while (rows.Read())
            {
                list.Add(new KnownFile(rows.GetString(0), (byte[])rows[1], (byte[])rows[2]));
            }

            return list;
        });
        return files.Select(file => (file, Find(file.ContentKey, settingsId, vectorLength)));
    }

    /// <summary>
    /// The paths the store knows whose file is gone: <paramref name="exists"/> (File.Exists when null) says no. Reads only.
    /// </summary>
    public StorePrunePlan PlanPrune(Func<string, bool>? exists = null)
    {
        exists ??= File.Exists;
        List<string> paths = Strings("SELECT path FROM files");
        var gone = paths.Where(p => !exists(p)).ToList();
        return new StorePrunePlan
        {
            KnownPaths = paths.Count,
            GonePaths = gone,
            GoneFolders = gone.Count(p => Path.GetDirectoryName(p) is not { } folder || !Directory.Exists(folder)),
        };
    }

    /// <summary>
    /// Forgets, in one transaction, the gone paths of <paramref name="plan"/> whose file is still gone, and each photo
    /// (with its faces) that no remaining path shows. A photo still known at another path stays, and so does every
    /// entry a gone path does not lead to. Refuses a plan that <see cref="StorePrunePlan.WouldShrink"/> unless
    /// <paramref name="allowShrink"/>: a drive or share not mounted, or only half, must not empty the store.
    /// </summary>
    /// <returns>The paths, photos and faces forgotten.</returns>
    /// <exception cref="EncodingStoreException"><see cref="EncodingStoreProblem.WouldShrink"/>, or
    /// <see cref="EncodingStoreProblem.ReadOnly"/> for a read-only store.</exception>
    public (int Paths, int Photos, int Faces) Prune(StorePrunePlan plan, bool allowShrink, Func<string, bool>? exists = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        exists ??= File.Exists;
        if (plan.WouldShrink && !allowShrink)
        {
            throw new EncodingStoreException(FilePath, EncodingStoreProblem.WouldShrink, FormattableString.Invariant(
                $"{plan.GonePaths.Count} of the {plan.KnownPaths} photo paths the encoding store '{FilePath}' knows are gone ({plan.GoneFolders} of them with their whole folder): ") +
                $"more than {StorePrunePlan.MaxShare:0%}, or all, which looks like a drive or share that is not mounted, or only partly. Nothing was removed. " +
                "If the photos were really deleted or moved away, run Optimize-FaceEncodingStore once with -AllowShrink.");
        }

        if (plan.GonePaths.Count == 0)
        {
            return (0, 0, 0);
        }

        if (IsReadOnly)
        {
            throw new EncodingStoreException(FilePath, EncodingStoreProblem.ReadOnly,
                $"The encoding store '{FilePath}' is read-only: the photos that are gone cannot be removed from it. Make it writable, then run again.");
        }

        var stillGone = plan.GonePaths.Where(p => !exists(p)).ToArray();
        return Locked(() =>
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var find = Command("SELECT content_key FROM files WHERE path = $path", "$path");
            using var forget = Command("DELETE FROM files WHERE path = $path", "$path");
            using var keys = Command("SELECT content_key FROM files");
            using var faces = Command("DELETE FROM faces WHERE content_key = $key", "$key");
            using var photos = Command("DELETE FROM photos WHERE content_key = $key", "$key");
            foreach (var command in new[] { find, forget, keys, faces, photos })
            {
                command.Transaction = transaction;
            }

            var candidates = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            int paths = 0;
            foreach (string path in stillGone)
            {
                find.Parameters["$path"].Value = path;
                if (find.ExecuteScalar() is byte[] key)
                {
                    candidates[Convert.ToHexString(key)] = key;
                }

                forget.Parameters["$path"].Value = path;
                paths += forget.ExecuteNonQuery();
            }

            // A photo another path still shows (a copy, or the photo moved) is kept.
            using (var reader = keys.ExecuteReader())
            {
                while (reader.Read() && candidates.Count > 0)
                {
                    candidates.Remove(Convert.ToHexString((byte[])reader[0]));
                }
            }

            int removedPhotos = 0, removedFaces = 0;
            foreach (byte[] key in candidates.Values)
            {
                faces.Parameters["$key"].Value = key;
                removedFaces += faces.ExecuteNonQuery();
                photos.Parameters["$key"].Value = key;
                removedPhotos += photos.ExecuteNonQuery();
            }

            transaction.Commit();
            return (paths, removedPhotos, removedFaces);
        });
    }

    /// <summary>The error for a photo at <paramref name="path"/> that a read-only store would have to store.</summary>
    public EncodingStoreException CannotStore(string path) => new(FilePath, EncodingStoreProblem.ReadOnly,
        $"The encoding store '{FilePath}' is read-only and does not hold '{path}' (new, or changed since the store was " +
        "written) under this run's settings. Make it writable (clear its read-only attribute; on Linux and macOS " +
        $"chmod u+w '{FilePath}' and make sure its folder and file system are writable), or pass -Store a writable " +
        "copy of it, or run without -Store.");

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var command in new[] { _findFile, _rememberFile, _findPhoto, _findFaces, _insertPhoto, _insertFace })
            {
                command.Dispose();
            }

            _scanFiles.Dispose();

            _connection.Dispose();
        }
    }

    private static bool IsMarkedReadOnly(string filePath)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                return File.Exists(filePath) && File.GetAttributes(filePath).HasFlag(FileAttributes.ReadOnly);
            }

            // No write permission for anyone (chmod a-w): read-only even for an administrator, who could write it.
            const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            return File.Exists(filePath) && (File.GetUnixFileMode(filePath) & anyWrite) == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool CanOpenForWriting(string filePath)
    {
        try
        {
            using var file = new FileStream(filePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Prepare(SqliteConnection connection, string filePath, bool readOnly)
    {
        // IMMEDIATE: two processes creating one new store take turns, and the second finds the first's schema.
        using var transaction = connection.BeginTransaction(deferred: readOnly);
        long applicationId = Scalar(connection, "PRAGMA application_id");
        long version = Scalar(connection, "PRAGMA user_version");
        long objects = Scalar(connection, "SELECT count(*) FROM sqlite_master");
        if (applicationId == 0 && version == 0 && objects == 0)
        {
            if (readOnly)
            {
                throw ReadOnlyUntilWritten(filePath, "empty");
            }

            Execute(connection, Schema);
            Execute(connection, $"PRAGMA application_id = {ApplicationId}");
            Execute(connection, $"PRAGMA user_version = {SchemaVersion}");
            transaction.Commit();
            return;
        }

        if (applicationId != ApplicationId)
        {
            throw new EncodingStoreException(filePath, EncodingStoreProblem.NotAStore,
                $"'{filePath}' is an SQLite database but not a FaceCluster encoding store; pass -Store a new file name " +
                "or a store Get-FaceEncoding made.");
        }

        if (version > SchemaVersion)
        {
            throw new EncodingStoreException(filePath, EncodingStoreProblem.NewerSchema,
                $"The encoding store '{filePath}' was written by a newer FaceCluster (store schema {version}; this version reads " +
                $"schema {SchemaVersion}). Update FaceCluster, or {EncodingStoreException.RebuildAdvice(filePath)}.");
        }

        if (version == 1)
        {
            if (readOnly)
            {
                throw ReadOnlyUntilWritten(filePath, "was written by an earlier FaceCluster: it is upgraded on its first use");
            }

            // The paths it knows were stamped by size and modification time only: forget them (each photo is hashed
            // once more, none is encoded again).
            Execute(connection, "DROP TABLE files");
            Execute(connection, FilesTable);
            Execute(connection, $"PRAGMA user_version = {SchemaVersion}");
        }
        else if (version != SchemaVersion)
        {
            throw Corrupt(filePath, $"its schema version is {version}", null);
        }

        // Opening reads a page or two of each table, not the file: SQLite checks every page it reads and reports
        // damage there (SQLITE_CORRUPT, a Corrupt error naming the store), so a run never takes a damaged page for
        // data. The whole-file check (CheckIntact, 58 s at a million faces) is Optimize-FaceEncodingStore's.
        foreach (string table in (ReadOnlySpan<string>)["settings", "photos", "faces", "files"])
        {
            using var first = connection.CreateCommand();
            first.CommandText = $"SELECT * FROM {table} LIMIT 1";
            using var reader = first.ExecuteReader();
            reader.Read();
        }

        transaction.Commit();
    }

    private static EncodingStoreException ReadOnlyUntilWritten(string filePath, string state) =>
        new(filePath, EncodingStoreProblem.ReadOnly,
            $"The encoding store '{filePath}' is read-only and {state}. Make it writable for one run (clear its " +
            $"read-only attribute; on Linux and macOS chmod u+w '{filePath}'), or run without -Store.");

    private static void Translate(string filePath, TimeSpan timeout, Action action)
    {
        try
        {
            action();
        }
        catch (SqliteException e)
        {
            throw Translated(filePath, timeout, e);
        }
    }

    private static EncodingStoreException Translated(string filePath, TimeSpan timeout, SqliteException e) => (e.SqliteErrorCode & 0xFF) switch
    {
        // SQLITE_CORRUPT, SQLITE_NOTADB
        11 or 26 => Corrupt(filePath, e.Message, e),
        // SQLITE_BUSY, SQLITE_LOCKED. The system drops a process's locks when it ends, so a live one holds it.
        5 or 6 => new EncodingStoreException(filePath, EncodingStoreProblem.Busy,
            $"The encoding store '{filePath}' stayed locked for more than {timeout.TotalSeconds:0.#} s: another process is " +
            "using it" + (FileLockHolders.Describe(filePath, filePath + "-shm") is { } holders ? $" ({holders})" : "") +
            ", most likely another Get-FaceEncoding -Store run writing to it. Let that run finish (or stop it) " +
            "and run again, or give this run a store of its own with -Store.", e),
        // SQLITE_READONLY: the file system or the permissions changed under an open store.
        8 => new EncodingStoreException(filePath, EncodingStoreProblem.ReadOnly,
            $"The encoding store '{filePath}' cannot be written: {e.Message}. Make it and its folder writable, or run without -Store.", e),
        _ => new EncodingStoreException(filePath, EncodingStoreProblem.Unusable,
            $"The encoding store '{filePath}' cannot be used: {e.Message}", e),
    };

    private static EncodingStoreException Corrupt(string filePath, string detail, Exception? inner) =>
        new(filePath, EncodingStoreProblem.Corrupt,
            $"The encoding store '{filePath}' is damaged ({detail}); {EncodingStoreException.RebuildAdvice(filePath)}.", inner);

    private EncodingStoreException Damaged(string detail) => Corrupt(FilePath, detail, null);

    /// <summary>The first column of every row <paramref name="sql"/> gives, as text.</summary>
    private List<string> Strings(string sql) => Locked(() =>
    {
        using var command = Command(sql);
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    });

    private T Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            try
            {
                return action();
            }
            catch (SqliteException e)
            {
                throw Translated(FilePath, _busyTimeout, e);
            }
            catch (InvalidCastException e)
            {
                throw Corrupt(FilePath, "an entry has the wrong type", e);
            }
            finally
            {
                foreach (var command in new[] { _insertPhoto, _insertFace, _rememberFile, _findFile, _findPhoto, _findFaces })
                {
                    command.Transaction = null;
                }
            }
        }
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void SetFile(SqliteCommand command, string path, PhotoFileStamp stamp)
    {
        command.Parameters["$path"].Value = path;
        command.Parameters["$stamp"].Value = stamp.ToBytes();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
