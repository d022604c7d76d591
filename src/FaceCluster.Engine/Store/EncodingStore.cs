using System.Runtime.InteropServices;
using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using Microsoft.Data.Sqlite;

namespace FaceCluster.Engine.Store;

/// <summary>
/// One SQLite file (WAL) of encodings, keyed by the SHA-256 of each photo's bytes and the settings that produced
/// them (<see cref="EncodingSettings"/>), plus the last content key seen at each path with the file's size and
/// modification time, so an unchanged file need not be hashed again. Several processes may use one file at once:
/// each write is one short transaction, and a process waits up to the busy timeout for another's. Safe to call from
/// several threads (calls take turns on one connection). Every SQLite failure surfaces as an
/// <see cref="EncodingStoreException"/> naming the file.
/// </summary>
public sealed class EncodingStore : IDisposable
{
    /// <summary>The store schema this version reads and writes (SQLite's user_version).</summary>
    public const int SchemaVersion = 1;

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
        CREATE TABLE files (
            path TEXT NOT NULL PRIMARY KEY,
            size INTEGER NOT NULL,
            modified INTEGER NOT NULL,
            content_key BLOB NOT NULL) WITHOUT ROWID;
        """;

    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeSpan _busyTimeout;
    private readonly SqliteCommand _findFile;
    private readonly SqliteCommand _rememberFile;
    private readonly SqliteCommand _findPhoto;
    private readonly SqliteCommand _findFaces;
    private readonly SqliteCommand _insertPhoto;
    private readonly SqliteCommand _insertFace;

    private EncodingStore(string filePath, SqliteConnection connection, TimeSpan busyTimeout)
    {
        FilePath = filePath;
        _connection = connection;
        _busyTimeout = busyTimeout;
        _findFile = Command("SELECT content_key FROM files WHERE path = $path AND size = $size AND modified = $modified", "$path", "$size", "$modified");
        _rememberFile = Command(
            "INSERT INTO files (path, size, modified, content_key) VALUES ($path, $size, $modified, $key) " +
            "ON CONFLICT (path) DO UPDATE SET size = excluded.size, modified = excluded.modified, content_key = excluded.content_key",
            "$path", "$size", "$modified", "$key");
        _findPhoto = Command(
            "SELECT image_width, image_height, failure, failure_detail FROM photos WHERE content_key = $key AND settings_id = $settings",
            "$key", "$settings");
        _findFaces = Command(
            "SELECT face_index, box_x, box_y, box_width, box_height, landmarks, confidence, vector FROM faces " +
            "WHERE content_key = $key AND settings_id = $settings ORDER BY face_index",
            "$key", "$settings");
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
    /// a FaceCluster store of a schema this version reads and that SQLite finds it intact.
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
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Closing the store must release the file (and checkpoint the WAL), not park it in a pool.
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        }.ToString());
        try
        {
            Translate(filePath, timeout, () =>
            {
                connection.Open();
                Execute(connection, $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds}");
                Execute(connection, "PRAGMA journal_mode = WAL");
                Execute(connection, "PRAGMA synchronous = NORMAL");
                Prepare(connection, filePath);
            });
            return new EncodingStore(filePath, connection, timeout);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The id of <paramref name="description"/> (an <see cref="EncodingSettings"/> text), added if new.</summary>
    public long SettingsId(string description) => Locked(() =>
    {
        using var insert = Command("INSERT INTO settings (description) VALUES ($d) ON CONFLICT DO NOTHING", "$d");
        insert.Parameters["$d"].Value = description;
        insert.ExecuteNonQuery();
        using var select = Command("SELECT id FROM settings WHERE description = $d", "$d");
        select.Parameters["$d"].Value = description;
        return (long)select.ExecuteScalar()!;
    });

    /// <summary>The content key last seen at <paramref name="path"/>, if the file still has that size and modification time.</summary>
    public byte[]? KnownContentKey(string path, long size, long modifiedTicks) => Locked(() =>
    {
        SetFile(_findFile, path, size, modifiedTicks);
        return _findFile.ExecuteScalar() as byte[];
    });

    /// <summary>Records that the file at <paramref name="path"/> with this size and modification time has content <paramref name="contentKey"/>.</summary>
    public void RememberFile(string path, long size, long modifiedTicks, byte[] contentKey) => Locked(() =>
    {
        SetFile(_rememberFile, path, size, modifiedTicks);
        _rememberFile.Parameters["$key"].Value = contentKey;
        _rememberFile.ExecuteNonQuery();
        return 0;
    });

    /// <summary>
    /// What encoding the photo with <paramref name="contentKey"/> under <paramref name="settingsId"/> gave, or null if
    /// it is not stored. An entry whose vectors are not <paramref name="vectorLength"/> long is reported as damage.
    /// </summary>
    public StoredPhoto? Find(byte[] contentKey, long settingsId, int vectorLength) => Locked(() =>
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

        int width = photo.GetInt32(0), height = photo.GetInt32(1);
        if (!photo.IsDBNull(2))
        {
            if (!Enum.TryParse(photo.GetString(2), out ImageDecodeFailure failure))
            {
                throw Damaged($"unknown failure '{photo.GetString(2)}'");
            }

            return StoredPhoto.Failed(failure, photo.IsDBNull(3) ? failure.ToString() : photo.GetString(3));
        }

        _findFaces.Parameters["$key"].Value = contentKey;
        _findFaces.Parameters["$settings"].Value = settingsId;
        var faces = new List<StoredFace>();
        using var rows = _findFaces.ExecuteReader();
        while (rows.Read())
        {
            float[] landmarks = Floats((byte[])rows[5]);
            float[] vector = Floats((byte[])rows[7]);
            if (rows.GetInt32(0) != faces.Count || landmarks.Length != FloatsPerLandmarks || vector.Length != vectorLength)
            {
                throw Damaged("a face entry is malformed");
            }

            faces.Add(new StoredFace(
                rows.GetInt32(0),
                new FaceBox(rows.GetFloat(1), rows.GetFloat(2), rows.GetFloat(3), rows.GetFloat(4)),
                Enumerable.Range(0, FloatsPerLandmarks / 2).Select(i => new FacePoint(landmarks[2 * i], landmarks[2 * i + 1])).ToArray(),
                rows.GetFloat(6),
                vector));
        }

        return new StoredPhoto(faces, width, height);
    });

    /// <summary>
    /// Stores what encoding the photo with <paramref name="contentKey"/> gave and remembers its path, in one
    /// transaction. A photo another process stored meanwhile is kept as it is (the same bytes and settings give the
    /// same faces).
    /// </summary>
    public void Save(byte[] contentKey, long settingsId, StoredPhoto photo, string path, long size, long modifiedTicks) => Locked(() =>
    {
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

        SetFile(_rememberFile, path, size, modifiedTicks);
        _rememberFile.Parameters["$key"].Value = contentKey;
        _rememberFile.ExecuteNonQuery();
        transaction.Commit();
        return 0;
    });

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var command in new[] { _findFile, _rememberFile, _findPhoto, _findFaces, _insertPhoto, _insertFace })
            {
                command.Dispose();
            }

            _connection.Dispose();
        }
    }

    private static void Prepare(SqliteConnection connection, string filePath)
    {
        // IMMEDIATE: two processes creating one new store take turns, and the second finds the first's schema.
        using var transaction = connection.BeginTransaction(deferred: false);
        long applicationId = Scalar(connection, "PRAGMA application_id");
        long version = Scalar(connection, "PRAGMA user_version");
        long objects = Scalar(connection, "SELECT count(*) FROM sqlite_master");
        if (applicationId == 0 && version == 0 && objects == 0)
        {
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

        if (version != SchemaVersion)
        {
            throw Corrupt(filePath, $"its schema version is {version}", null);
        }

        var problems = new List<string>();
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "PRAGMA quick_check";
            using var reader = check.ExecuteReader();
            while (reader.Read())
            {
                problems.Add(reader.GetString(0));
            }
        }

        if (problems is not ["ok"])
        {
            throw Corrupt(filePath, $"SQLite's check found: {string.Join("; ", problems.Take(3))}", null);
        }

        transaction.Commit();
    }

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
        // SQLITE_BUSY, SQLITE_LOCKED
        5 or 6 => new EncodingStoreException(filePath, EncodingStoreProblem.Busy,
            $"The encoding store '{filePath}' stayed locked by another process for more than {timeout.TotalSeconds:0.#} s. " +
            "Let that process finish and run again; if none is running, a crashed one may have left the lock: " +
            $"{EncodingStoreException.RebuildAdvice(filePath)}.", e),
        _ => new EncodingStoreException(filePath, EncodingStoreProblem.Unusable,
            $"The encoding store '{filePath}' cannot be used: {e.Message}", e),
    };

    private static EncodingStoreException Corrupt(string filePath, string detail, Exception? inner) =>
        new(filePath, EncodingStoreProblem.Corrupt,
            $"The encoding store '{filePath}' is damaged ({detail}); {EncodingStoreException.RebuildAdvice(filePath)}.", inner);

    private EncodingStoreException Damaged(string detail) => Corrupt(FilePath, detail, null);

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
                foreach (var command in new[] { _insertPhoto, _insertFace, _rememberFile })
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

    private static void SetFile(SqliteCommand command, string path, long size, long modifiedTicks)
    {
        command.Parameters["$path"].Value = path;
        command.Parameters["$size"].Value = size;
        command.Parameters["$modified"].Value = modifiedTicks;
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

    private float[] Floats(byte[] bytes) => bytes.Length % sizeof(float) == 0
        ? MemoryMarshal.Cast<byte, float>(bytes).ToArray()
        : throw Damaged("a vector has a partial number");
}
