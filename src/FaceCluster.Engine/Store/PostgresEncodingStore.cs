using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using Npgsql;
using NpgsqlTypes;

namespace FaceCluster.Engine.Store;

/// <summary>
/// The encoding store in a PostgreSQL database (schema <c>facecluster</c>), shared by workers on any number of
/// machines: the same entries and guarantees as the SQLite <see cref="EncodingStore"/> (a photo and its faces are one
/// statement, so a worker killed mid-write leaves nothing half-written), plus claims: a worker claims a photo before
/// encoding it, and another finds it claimed and waits for it to be stored, or for the claim to expire
/// (<see cref="PostgresStoreOptions.ClaimTimeout"/>, by the server's clock) if its worker died. A call that loses its
/// connection (the server restarting) is tried again on a new one for up to <see cref="PostgresStoreOptions.RetryTimeout"/>.
/// Messages name the store by <see cref="Name"/>, which holds no user name or password.
/// </summary>
public sealed class PostgresEncodingStore : IEncodingStore
{
    /// <summary>The store schema this version reads and writes (facecluster.store.schema_version).</summary>
    public const int SchemaVersion = 1;

    private const int FloatsPerLandmarks = 10;

    // pg_advisory_xact_lock key held while a worker checks or creates the schema ("FCes").
    private const long SchemaLock = 0x46436573;

    private const string Schema = $"""
        CREATE SCHEMA facecluster;
        CREATE TABLE facecluster.store (schema_version integer NOT NULL);
        CREATE TABLE facecluster.settings (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            description text NOT NULL UNIQUE);
        CREATE TABLE facecluster.photos (
            content_key bytea NOT NULL,
            settings_id bigint NOT NULL REFERENCES facecluster.settings (id),
            image_width integer NOT NULL,
            image_height integer NOT NULL,
            failure text,
            failure_detail text,
            PRIMARY KEY (content_key, settings_id));
        CREATE TABLE facecluster.faces (
            content_key bytea NOT NULL,
            settings_id bigint NOT NULL,
            face_index integer NOT NULL,
            box_x real NOT NULL, box_y real NOT NULL, box_width real NOT NULL, box_height real NOT NULL,
            landmarks bytea NOT NULL,
            confidence real NOT NULL,
            vector bytea NOT NULL,
            PRIMARY KEY (content_key, settings_id, face_index),
            FOREIGN KEY (content_key, settings_id) REFERENCES facecluster.photos)
            WITH ({FacesStorage});
        CREATE TABLE facecluster.files (
            path text NOT NULL PRIMARY KEY,
            stamp bytea NOT NULL,
            content_key bytea NOT NULL);
        CREATE TABLE facecluster.claims (
            content_key bytea NOT NULL,
            settings_id bigint NOT NULL,
            worker text NOT NULL,
            expires timestamptz NOT NULL,
            PRIMARY KEY (content_key, settings_id));
        """;

    // A face's row (about 2.2 KB with a 512-number vector) stays whole in the table: by default PostgreSQL tries to
    // compress a row over about 2 KB and moves its vector out of line into the TOAST table, a second insert (and
    // read) a face that floats, which do not compress, only pay for. A row over 8160 bytes is still moved out.
    // Not part of the schema version: a store without it is read and written alike, and Open sets it when it can.
    private const string FacesStorage = "toast_tuple_target=8160";

    // Save, for a batch of photos: each photo and its faces, the files' paths and the release of this worker's
    // claims, in one statement (one implicit transaction: all or nothing); a photo's faces only when this statement
    // stored the photo (one stored meanwhile by another worker is kept as it is). Photos ($1 to $6), their faces ($7
    // to $16, by content key and settings), files ($17 to $19), this worker ($20). One statement, not a batch:
    // Npgsql writes a synchronous batch's later commands from the thread pool, which costs more CPU than the
    // statement itself.
    private const string SavePhotos = """
        WITH photo AS (
            INSERT INTO facecluster.photos (content_key, settings_id, image_width, image_height, failure, failure_detail)
            SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::integer[], $4::integer[], $5::text[], $6::text[])
            ON CONFLICT DO NOTHING RETURNING content_key, settings_id),
        faces AS (
            INSERT INTO facecluster.faces
                (content_key, settings_id, face_index, box_x, box_y, box_width, box_height, landmarks, confidence, vector)
            SELECT f.* FROM unnest($7::bytea[], $8::bigint[], $9::integer[], $10::real[], $11::real[], $12::real[],
                $13::real[], $14::bytea[], $15::real[], $16::bytea[])
                AS f (content_key, settings_id, face_index, box_x, box_y, box_width, box_height, landmarks, confidence, vector)
            JOIN photo USING (content_key, settings_id)),
        file AS (
            INSERT INTO facecluster.files (path, stamp, content_key)
            SELECT * FROM unnest($17::text[], $18::bytea[], $19::bytea[])
            ON CONFLICT (path) DO UPDATE SET stamp = excluded.stamp, content_key = excluded.content_key)
        DELETE FROM facecluster.claims c USING unnest($1::bytea[], $2::bigint[]) AS k (content_key, settings_id)
        WHERE c.content_key = k.content_key AND c.settings_id = k.settings_id AND c.worker = $20
        """;

    private const string RememberFileSql = """
        INSERT INTO facecluster.files (path, stamp, content_key) VALUES ($1, $2, $3)
        ON CONFLICT (path) DO UPDATE SET stamp = excluded.stamp, content_key = excluded.content_key
        """;

    // What ReadPhoto reads, from photos p and faces f.
    private const string PhotoColumns = """
        p.image_width, p.image_height, p.failure, p.failure_detail,
        f.face_index, f.box_x, f.box_y, f.box_width, f.box_height, f.landmarks, f.confidence, f.vector
        """;

    private const int PageSize = 1000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStoreOptions _options;
    private readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    // Photos Save holds back (write-behind), written by Flush in one statement when SaveBatch are held, SaveDelay
    // after the first was held (by _flushTimer), before a read that could see them, and at Dispose. _held guards
    // them, the content keys and paths they hold, and _failure; _writing keeps one Flush at a time, in order.
    private readonly object _held = new();
    private readonly object _writing = new();
    private List<(byte[] Key, long SettingsId, StoredPhoto Photo, string Path, PhotoFileStamp Stamp)> _unsaved = [];
    private readonly HashSet<string> _unsavedKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unsavedPaths = new(StringComparer.Ordinal);
    private Timer? _flushTimer;
    private EncodingStoreException? _failure;

    private PostgresEncodingStore(NpgsqlDataSource dataSource, string name, PostgresStoreOptions options)
    {
        _dataSource = dataSource;
        Name = name;
        _options = options;
    }

    /// <summary>The server, port and database, as <c>postgresql://host:port/database</c>: no user name or password.</summary>
    public string Name { get; }

    public bool IsReadOnly => false;

    /// <summary>
    /// Whether <paramref name="store"/> names a PostgreSQL database rather than a file: a <c>postgresql://</c> (or
    /// <c>postgres://</c>) URI, or a keyword connection string that names a host (<c>Host=...;Database=...</c>).
    /// </summary>
    public static bool IsConnectionString(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            return store.Contains('=', StringComparison.Ordinal) && !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(store).Host);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Connects to the database <paramref name="connectionString"/> names (see <see cref="IsConnectionString"/>),
    /// with the user name and password of <paramref name="credential"/> when given (else those of the string, or
    /// PostgreSQL's PGUSER, PGPASSWORD and password file), and creates the store's schema when the database lacks it.
    /// A connection refused here is not tried again: the run has stored nothing yet. The connection comes from a
    /// pool the process keeps per connection string and credential (<see cref="PostgresDataSources"/>).
    /// </summary>
    /// <exception cref="EncodingStoreException">The server cannot be reached or refuses the login, the string is not
    /// a connection string, or the database holds a newer or foreign facecluster schema.</exception>
    public static PostgresEncodingStore Open(string connectionString, NetworkCredential? credential = null, PostgresStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The encoding store keeps vectors as little-endian floats.");
        }

        NpgsqlConnectionStringBuilder builder = PostgresConnectionString.Parse(connectionString);
        if (credential is not null)
        {
            builder.Username = credential.UserName;
            builder.Password = credential.Password;
        }

        builder.ApplicationName ??= "FaceCluster";
        builder.MaxAutoPrepare = 16;
        // No call changes its session's state: a pooled connection needs no reset.
        builder.NoResetOnClose = true;
        string name = PostgresConnectionString.Describe(builder);
        NpgsqlDataSource dataSource = PostgresDataSources.Get(builder.ConnectionString);
        var store = new PostgresEncodingStore(dataSource, name, options ?? new PostgresStoreOptions());
        bool connected = false;
        try
        {
            store.Run(connection =>
            {
                connected = true;
                return store.PrepareSchema(connection);
            }, retry: false);
        }
        catch (EncodingStoreException e) when (connected && e.InnerException is { } inner && IsTransient(inner))
        {
            // The pooled connection of an earlier run died with the server (a restart): once more, on a new one.
            dataSource.Clear();
            store.Run(store.PrepareSchema, retry: false);
        }

        return store;
    }

    public long SettingsId(string description) => Run(connection =>
    {
        using var select = Command(connection, "SELECT id FROM facecluster.settings WHERE description = $1", description);
        if (select.ExecuteScalar() is long id)
        {
            return id;
        }

        using var insert = Command(connection, "INSERT INTO facecluster.settings (description) VALUES ($1) ON CONFLICT DO NOTHING", description);
        insert.ExecuteNonQuery();
        return (long)select.ExecuteScalar()!;
    });

    public byte[]? KnownContentKey(string path, PhotoFileStamp stamp) => FlushIfHeld(paths: [path]).Run(connection =>
    {
        using var select = Command(connection, "SELECT content_key FROM facecluster.files WHERE path = $1 AND stamp = $2", path, stamp.ToBytes());
        return select.ExecuteScalar() as byte[];
    });

    /// <summary>One query for all of <paramref name="files"/>: no round trip a photo.</summary>
    public IReadOnlyList<(byte[]? Key, StoredPhoto? Photo)> FindKnown(IReadOnlyList<(string Path, PhotoFileStamp Stamp)> files, long settingsId, int vectorLength) =>
        FlushIfHeld(paths: files.Select(f => f.Path)).Run(connection =>
    {
        var found = new (byte[]? Key, StoredPhoto? Photo)[files.Count];
        if (files.Count == 0)
        {
            return found;
        }

        using var select = Command(connection, $"""
            SELECT q.i, fl.content_key, {PhotoColumns}
            FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS q (path, stamp, i)
            JOIN facecluster.files fl ON fl.path = q.path AND fl.stamp = q.stamp
            LEFT JOIN facecluster.photos p ON p.content_key = fl.content_key AND p.settings_id = $3
            LEFT JOIN facecluster.faces f ON f.content_key = p.content_key AND f.settings_id = p.settings_id
            ORDER BY q.i, f.face_index
            """, files.Select(f => f.Path).ToArray(), files.Select(f => f.Stamp.ToBytes()).ToArray(), settingsId);
        using var rows = select.ExecuteReader();
        bool more = rows.Read();
        while (more)
        {
            long i = rows.GetInt64(0);
            var key = (byte[])rows[1];
            found[i - 1] = (key, ReadPhoto(rows, 2, vectorLength, () => rows.GetInt64(0) == i, out more));
        }

        return found;
    });

    public void RememberFile(string path, PhotoFileStamp stamp, byte[] contentKey) => FlushIfHeld(paths: [path]).Run(connection =>
    {
        using var upsert = Command(connection, RememberFileSql, path, stamp.ToBytes(), contentKey);
        return upsert.ExecuteNonQuery();
    });

    public StoredPhoto? Find(byte[] contentKey, long settingsId, int vectorLength) => FlushIfHeld(contentKey, settingsId).Run(connection =>
    {
        using var select = Command(connection, $"""
            SELECT {PhotoColumns}
            FROM facecluster.photos p LEFT JOIN facecluster.faces f
                ON f.content_key = p.content_key AND f.settings_id = p.settings_id
            WHERE p.content_key = $1 AND p.settings_id = $2 ORDER BY f.face_index
            """, contentKey, settingsId);
        using var rows = select.ExecuteReader();
        return rows.Read() ? ReadPhoto(rows, 0, vectorLength, () => true, out _) : null;
    });

    /// <summary>A page of paths per query (in the database's order of path): streamed, each page tried again on a lost connection.</summary>
    public IEnumerable<(KnownFile File, StoredPhoto? Photo)> KnownPhotos(string? folder, long settingsId, int vectorLength)
    {
        Flush();
        string? after = null;
        while (true)
        {
            var page = Run(connection =>
            {
                using var select = Command(connection, $"""
                    SELECT fl.path, fl.stamp, fl.content_key, {PhotoColumns}
                    FROM (SELECT path, stamp, content_key FROM facecluster.files
                        WHERE ($1::text IS NULL OR starts_with(path, $1::text)) AND ($3::text IS NULL OR path > $3::text)
                        ORDER BY path LIMIT {PageSize}) fl
                    LEFT JOIN facecluster.photos p ON p.content_key = fl.content_key AND p.settings_id = $2
                    LEFT JOIN facecluster.faces f ON f.content_key = p.content_key AND f.settings_id = p.settings_id
                    ORDER BY fl.path, f.face_index
                    """, (object?)folder ?? DBNull.Value, settingsId, (object?)after ?? DBNull.Value);
                using var rows = select.ExecuteReader();
                var photos = new List<(KnownFile, StoredPhoto?)>();
                bool more = rows.Read();
                while (more)
                {
                    var file = new KnownFile(rows.GetString(0), (byte[])rows[1], (byte[])rows[2]);
                    photos.Add((file, ReadPhoto(rows, 3, vectorLength, () => rows.GetString(0) == file.Path, out more)));
                }

                return photos;
            });
            foreach (var photo in page)
            {
                yield return photo;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].Item1.Path;
        }
    }

    public bool TryClaim(byte[] contentKey, long settingsId) => FlushIfHeld(contentKey, settingsId).Run(connection =>
    {
        using var claim = Command(connection, $"WITH {ClaimSql} SELECT EXISTS (SELECT 1 FROM claimed), other FROM seen",
            contentKey, settingsId, _worker, _options.ClaimTimeout);
        using var result = claim.ExecuteReader();
        result.Read();
        (bool taken, bool waited) = (result.GetBoolean(0), result.GetBoolean(1));
        result.Close();
        return Kept(connection, contentKey, settingsId, taken, waited);
    });

    public (StoredPhoto? Photo, bool Claimed) FindOrClaim(byte[] contentKey, long settingsId, int vectorLength) => FlushIfHeld(contentKey, settingsId).Run(connection =>
    {
        using var select = Command(connection, $"""
            WITH {ClaimSql}
            SELECT (SELECT EXISTS (SELECT 1 FROM claimed)), (SELECT other FROM seen), {PhotoColumns}
            FROM (VALUES (1)) AS one (x)
            LEFT JOIN facecluster.photos p ON p.content_key = $1 AND p.settings_id = $2
            LEFT JOIN facecluster.faces f ON f.content_key = p.content_key AND f.settings_id = p.settings_id
            ORDER BY f.face_index
            """, contentKey, settingsId, _worker, _options.ClaimTimeout);
        using var rows = select.ExecuteReader();
        rows.Read();
        (bool taken, bool waited) = (rows.GetBoolean(0), rows.GetBoolean(1));
        var photo = ReadPhoto(rows, 2, vectorLength, () => true, out _);
        rows.Close();
        return (photo, photo is null && Kept(connection, contentKey, settingsId, taken, waited));
    });

    public void Release(byte[] contentKey, long settingsId) => Run(connection =>
    {
        using var release = Command(connection, ReleaseSql, contentKey, settingsId, _worker);
        return release.ExecuteNonQuery();
    });

    /// <summary>
    /// Held back and written with others in one statement (<see cref="Flush"/>): when <see cref="PostgresStoreOptions.SaveBatch"/>
    /// photos are held, <see cref="PostgresStoreOptions.SaveDelay"/> after the first, before a read that could see
    /// them, and at <see cref="Dispose"/>. The photo stays claimed by this worker until then; the store's own calls
    /// see it as stored.
    /// </summary>
    /// <exception cref="EncodingStoreException">The store cannot be used: this batch or an earlier one could not be written.</exception>
    public void Save(byte[] contentKey, long settingsId, StoredPhoto photo, string path, PhotoFileStamp stamp)
    {
        bool full;
        lock (_held)
        {
            if (_failure is not null)
            {
                throw _failure;
            }

            _unsaved.Add((contentKey, settingsId, photo, path, stamp));
            _unsavedKeys.Add(HeldKey(contentKey, settingsId));
            _unsavedPaths.Add(path);
            full = _unsaved.Count >= _options.SaveBatch;
            if (!full && _unsaved.Count == 1)
            {
                _flushTimer ??= new Timer(_ => FlushLate());
                // Written well before its claim expires, however short the claim.
                _flushTimer.Change(TimeSpan.FromTicks(Math.Min(_options.SaveDelay.Ticks, _options.ClaimTimeout.Ticks / 4)), Timeout.InfiniteTimeSpan);
            }
        }

        if (full)
        {
            Flush();
        }
    }

    /// <summary>Writes the photos <see cref="Save"/> holds back, in one statement.</summary>
    /// <exception cref="EncodingStoreException">The store cannot be used: what was held is not stored, and its claims expire.</exception>
    public void Flush()
    {
        lock (_writing)
        {
            List<(byte[] Key, long SettingsId, StoredPhoto Photo, string Path, PhotoFileStamp Stamp)> batch;
            lock (_held)
            {
                if (_failure is not null)
                {
                    throw _failure;
                }

                if (_unsaved.Count == 0)
                {
                    return;
                }

                batch = _unsaved;
                _unsaved = [];
            }

            try
            {
                Write(batch);
            }
            catch (EncodingStoreException e)
            {
                // Later saves fail too: this run stops, and the next encodes what was lost.
                lock (_held)
                {
                    _failure ??= e;
                }

                throw;
            }
            finally
            {
                lock (_held)
                {
                    foreach (var saved in batch)
                    {
                        _unsavedKeys.Remove(HeldKey(saved.Key, saved.SettingsId));
                        _unsavedPaths.Remove(saved.Path);
                    }

                    // A path saved again since is still held.
                    foreach (var held in _unsaved)
                    {
                        _unsavedKeys.Add(HeldKey(held.Key, held.SettingsId));
                        _unsavedPaths.Add(held.Path);
                    }
                }
            }
        }
    }

    public EncodingStoreException CannotStore(string path) => new(Name, EncodingStoreProblem.ReadOnly,
        $"The encoding store '{Name}' may not be written by this user and does not hold '{path}' under this run's settings.");

    /// <summary>
    /// Writes what <see cref="Save"/> holds back; a failure then is dropped (the photos' claims expire, and the next
    /// run encodes them again). The data source and its pooled connections are the process's, for the next run.
    /// </summary>
    public void Dispose()
    {
        Timer? timer;
        lock (_held)
        {
            (timer, _flushTimer) = (_flushTimer, null);
        }

        timer?.Dispose();
        try
        {
            Flush();
        }
        catch (EncodingStoreException)
        {
            // Nothing more to do here: a run that flushed before it ended has reported it.
        }
    }

    private void FlushLate()
    {
        try
        {
            Flush();
        }
        catch (EncodingStoreException)
        {
            // Kept in _failure: the next Save or Flush throws it.
        }
    }

    // Writes what Save holds back when it holds this content or one of these paths: for a call that reads or writes
    // them, which must find them as stored (and not be overwritten by them later).
    private PostgresEncodingStore FlushIfHeld(byte[]? contentKey = null, long settingsId = 0, IEnumerable<string>? paths = null)
    {
        bool held;
        lock (_held)
        {
            held = (contentKey is not null && _unsavedKeys.Contains(HeldKey(contentKey, settingsId)))
                || (paths is not null && _unsavedPaths.Count > 0 && paths.Any(_unsavedPaths.Contains));
        }

        if (held)
        {
            Flush();
        }

        return this;
    }

    private static string HeldKey(byte[] contentKey, long settingsId) => $"{Convert.ToHexString(contentKey)}:{settingsId}";

    private int Write(List<(byte[] Key, long SettingsId, StoredPhoto Photo, string Path, PhotoFileStamp Stamp)> batch)
    {
        // A photo once (the first save of its content), a path once (its last save).
        var photos = batch.DistinctBy(p => HeldKey(p.Key, p.SettingsId)).ToList();
        var files = batch.AsEnumerable().Reverse().DistinctBy(p => p.Path).ToList();
        var faces = photos.SelectMany(p => p.Photo.Faces.Select(f => (p.Key, p.SettingsId, Face: f))).ToList();
        return Run(connection =>
        {
            using var save = Command(connection, SavePhotos,
                photos.Select(p => p.Key).ToArray(), photos.Select(p => p.SettingsId).ToArray(),
                photos.Select(p => p.Photo.ImageWidth).ToArray(), photos.Select(p => p.Photo.ImageHeight).ToArray(),
                photos.Select(p => p.Photo.Failure?.ToString()).ToArray(),
                photos.Select(p => p.Photo.Failure is null ? null : p.Photo.FailureDetail).ToArray(),
                faces.Select(f => f.Key).ToArray(), faces.Select(f => f.SettingsId).ToArray(),
                faces.Select(f => f.Face.FaceIndex).ToArray(),
                faces.Select(f => f.Face.Box.X).ToArray(), faces.Select(f => f.Face.Box.Y).ToArray(),
                faces.Select(f => f.Face.Box.Width).ToArray(), faces.Select(f => f.Face.Box.Height).ToArray(),
                faces.Select(f => Bytes(f.Face.Landmarks.SelectMany(l => new[] { l.X, l.Y }).ToArray())).ToArray(),
                faces.Select(f => f.Face.Confidence).ToArray(),
                faces.Select(f => Bytes(f.Face.Vector)).ToArray(),
                files.Select(p => p.Path).ToArray(), files.Select(p => p.Stamp.ToBytes()).ToArray(), files.Select(p => p.Key).ToArray(),
                _worker);
            return save.ExecuteNonQuery();
        });
    }

    private const string ReleaseSql = "DELETE FROM facecluster.claims WHERE content_key = $1 AND settings_id = $2 AND worker = $3";

    // The claim ($1 content key, $2 settings, $3 worker, $4 how long): claimed holds a row when this worker holds it
    // now; seen.other says whether the statement saw another worker's claim. Taken when free, expired (its worker
    // died) or already this worker's, never for a photo already stored.
    private const string ClaimSql = """
        seen AS (SELECT EXISTS (SELECT 1 FROM facecluster.claims
                WHERE content_key = $1 AND settings_id = $2 AND worker <> $3) AS other),
            claimed AS (
                INSERT INTO facecluster.claims (content_key, settings_id, worker, expires)
                SELECT $1, $2, $3, clock_timestamp() + $4
                WHERE NOT EXISTS (SELECT 1 FROM facecluster.photos WHERE content_key = $1 AND settings_id = $2)
                ON CONFLICT (content_key, settings_id) DO UPDATE SET worker = excluded.worker, expires = excluded.expires
                WHERE claims.expires < clock_timestamp() OR claims.worker = excluded.worker
                RETURNING 1)
        """;

    private bool Kept(NpgsqlConnection connection, byte[] contentKey, long settingsId, bool taken, bool waited)
    {
        // A claim whose worker is storing the photo right now makes the claim's INSERT wait for that transaction;
        // once it commits, the claim is gone but the INSERT's snapshot is older than the photo: a second statement,
        // with a snapshot of its own, gives such a claim back. Only a claim the first one saw can have been such a
        // claim (a worker claims a photo, and commits that, before it encodes and stores it), so only then is it
        // asked: one round trip for the usual photo, and no batch (see SavePhotos).
        if (!taken || !waited)
        {
            return taken;
        }

        using var giveBack = Command(connection, ReleaseSql + """
             AND EXISTS (SELECT 1 FROM facecluster.photos WHERE content_key = $1 AND settings_id = $2)
            """, contentKey, settingsId, _worker);
        return giveBack.ExecuteNonQuery() == 0;
    }

    private int PrepareSchema(NpgsqlConnection connection)
    {
        // A store of this schema, as every run but the first finds it: one round trip, no lock. A store made before
        // FacesStorage gets it, when this user owns the faces table (it applies to rows written from then on).
        try
        {
            using var current = Command(connection, $"""
                SELECT (SELECT max(schema_version) FROM facecluster.store),
                    (SELECT NOT coalesce('{FacesStorage}' = ANY (reloptions), false)
                        AND pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = 'facecluster.faces'::regclass)
                """);
            using var found = current.ExecuteReader();
            found.Read();
            if (!found.IsDBNull(0) && found.GetInt32(0) == SchemaVersion)
            {
                bool setStorage = found.GetBoolean(1);
                found.Close();
                if (setStorage)
                {
                    using var alter = Command(connection, $"ALTER TABLE facecluster.faces SET ({FacesStorage})");
                    alter.ExecuteNonQuery();
                }

                return 0;
            }
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // No store yet, or a foreign facecluster schema: the checks below say which.
        }

        // One worker at a time checks or creates the schema: two workers starting on an empty database take turns.
        using var transaction = connection.BeginTransaction();
        using (var wait = Command(connection, "SELECT pg_advisory_xact_lock($1)", SchemaLock))
        {
            wait.ExecuteNonQuery();
        }

        using (var find = Command(connection, "SELECT to_regnamespace('facecluster') IS NOT NULL, to_regclass('facecluster.store') IS NOT NULL"))
        using (var found = find.ExecuteReader())
        {
            found.Read();
            (bool schema, bool marker) = (found.GetBoolean(0), found.GetBoolean(1));
            found.Close();
            if (!schema)
            {
                using var create = Command(connection, Schema + $"INSERT INTO facecluster.store VALUES ({SchemaVersion});");
                create.ExecuteNonQuery();
                transaction.Commit();
                return 0;
            }

            if (!marker)
            {
                throw new EncodingStoreException(Name, EncodingStoreProblem.NotAStore,
                    $"The database '{Name}' has a schema named facecluster that is not a FaceCluster encoding store; " +
                    "give -Store another database.");
            }
        }

        using var version = Command(connection, "SELECT max(schema_version) FROM facecluster.store");
        int stored = version.ExecuteScalar() is int v ? v : 0;
        if (stored > SchemaVersion)
        {
            throw new EncodingStoreException(Name, EncodingStoreProblem.NewerSchema,
                $"The encoding store '{Name}' was written by a newer FaceCluster (store schema {stored}; this version reads " +
                $"schema {SchemaVersion}). Update FaceCluster on this machine.");
        }

        if (stored != SchemaVersion)
        {
            throw Damaged($"its schema version is {stored}");
        }

        transaction.Commit();
        return 0;
    }

    private T Run<T>(Func<NpgsqlConnection, T> action, bool retry = true)
    {
        var elapsed = Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = _dataSource.OpenConnection();
                return action(connection);
            }
            catch (Exception e) when (retry && IsTransient(e) && elapsed.Elapsed < _options.RetryTimeout)
            {
                // The server restarted or the network dropped: pooled connections are dead; try on a new one.
                _dataSource.Clear();
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 2000)));
            }
            catch (PostgresException e)
            {
                throw Translated(e);
            }
            catch (NpgsqlException e)
            {
                throw Unreachable(e);
            }
            catch (Exception e) when (e is SocketException or TimeoutException or IOException)
            {
                throw Unreachable(e);
            }
            catch (InvalidCastException e)
            {
                throw Damaged("an entry has the wrong type", e);
            }
        }
    }

    private static bool IsTransient(Exception e) => e is NpgsqlException { IsTransient: true }
        or PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow }
        or SocketException or IOException or TimeoutException;

    private EncodingStoreException Translated(PostgresException e) => e.SqlState switch
    {
        // The user name and password go unnamed: the message says only that the server refused them.
        PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => new(Name, EncodingStoreProblem.Unreachable,
            $"The PostgreSQL server of the encoding store '{Name}' refused the user name or password (SQLSTATE {e.SqlState}). " +
            "Check the credential (-StoreCredential, PGPASSWORD or the password file) and the server's pg_hba.conf.", e),
        PostgresErrorCodes.InvalidCatalogName => new(Name, EncodingStoreProblem.Unreachable,
            $"The database of the encoding store '{Name}' does not exist; create it (createdb) and run again.", e),
        PostgresErrorCodes.InsufficientPrivilege => new(Name, EncodingStoreProblem.ReadOnly,
            $"The encoding store '{Name}' may not be used by this user: {e.MessageText}. Grant it the facecluster schema.", e),
        _ => new(Name, EncodingStoreProblem.Unusable, $"The encoding store '{Name}' cannot be used: {e.MessageText} (SQLSTATE {e.SqlState}).", e),
    };

    private EncodingStoreException Unreachable(Exception e) => new(Name, EncodingStoreProblem.Unreachable,
        $"The PostgreSQL server of the encoding store '{Name}' cannot be reached or used: {Reason(e)}. Check that it runs " +
        "and accepts this machine (host, port, TLS), then run again: what was stored so far stays stored.", e);

    private static string Reason(Exception e)
    {
        // The innermost system error says what went wrong (refused, timed out, TLS) without naming a credential.
        Exception inner = e;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        return (inner is SocketException socket ? socket.Message : e is NpgsqlException ? e.Message : inner.Message).TrimEnd('.');
    }

    private EncodingStoreException Damaged(string detail, Exception? inner = null) => new(Name, EncodingStoreProblem.Corrupt,
        $"The encoding store '{Name}' is damaged ({detail}); to rebuild it, drop its schema (DROP SCHEMA facecluster " +
        "CASCADE) and run Get-FaceEncoding -Store again: every photo is encoded once more.", inner);

    // Reads the rows of one photo, whose columns (PhotoColumns) start at column `first`, from the current row while
    // `same` holds; leaves the reader on the next photo's row, `more` false when none is left. Null when not stored.
    private StoredPhoto? ReadPhoto(NpgsqlDataReader rows, int first, int vectorLength, Func<bool> same, out bool more)
    {
        bool stored = !rows.IsDBNull(first);
        int width = stored ? rows.GetInt32(first) : 0, height = stored ? rows.GetInt32(first + 1) : 0;
        string? failure = stored && !rows.IsDBNull(first + 2) ? rows.GetString(first + 2) : null;
        string? detail = failure is not null && !rows.IsDBNull(first + 3) ? rows.GetString(first + 3) : null;
        var faces = new List<StoredFace>();
        do
        {
            if (!rows.IsDBNull(first + 4))
            {
                faces.Add(ReadFace(rows, first + 4, faces.Count, vectorLength));
            }

            more = rows.Read();
        }
        while (more && same());

        if (!stored)
        {
            return null;
        }

        if (failure is null)
        {
            return new StoredPhoto(faces, width, height);
        }

        return Enum.TryParse(failure, out ImageDecodeFailure reason)
            ? StoredPhoto.Failed(reason, detail ?? reason.ToString())
            : throw Damaged($"unknown failure '{failure}'");
    }

    private StoredFace ReadFace(NpgsqlDataReader rows, int c, int expectedIndex, int vectorLength)
    {
        float[] landmarks = Floats((byte[])rows[c + 5]);
        float[] vector = Floats((byte[])rows[c + 7]);
        if (rows.GetInt32(c) != expectedIndex || landmarks.Length != FloatsPerLandmarks || vector.Length != vectorLength)
        {
            throw Damaged("a face entry is malformed");
        }

        return new StoredFace(
            expectedIndex,
            new FaceBox(rows.GetFloat(c + 1), rows.GetFloat(c + 2), rows.GetFloat(c + 3), rows.GetFloat(c + 4)),
            Enumerable.Range(0, FloatsPerLandmarks / 2).Select(i => new FacePoint(landmarks[2 * i], landmarks[2 * i + 1])).ToArray(),
            rows.GetFloat(c + 6),
            vector);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private float[] Floats(byte[] bytes) => bytes.Length % sizeof(float) == 0
        ? MemoryMarshal.Cast<byte, float>(bytes).ToArray()
        : throw Damaged("a vector has a partial number");
}
