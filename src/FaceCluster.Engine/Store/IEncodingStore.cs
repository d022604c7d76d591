namespace FaceCluster.Engine.Store;

/// <summary>
/// Where <see cref="StoredFaceEncoder"/> keeps encodings: the embedded SQLite file (<see cref="EncodingStore"/>) or a
/// shared PostgreSQL database (<see cref="PostgresEncodingStore"/>). Entries are keyed by the SHA-256 of each photo's
/// bytes and the settings that produced them; each path's last content key is kept with the file's
/// <see cref="PhotoFileStamp"/>. Safe to call from several threads; every failure is an <see cref="EncodingStoreException"/>.
/// </summary>
public interface IEncodingStore : IDisposable
{
    /// <summary>What messages call the store: the file's full path, or the server and database (never a credential).</summary>
    string Name { get; }

    /// <summary>Whether the store is only read; asking it to store a photo fails.</summary>
    bool IsReadOnly { get; }

    /// <summary>The id of <paramref name="description"/> (an <see cref="EncodingSettings"/> text), added if new.</summary>
    long SettingsId(string description);

    /// <summary>The content key last seen at <paramref name="path"/>, if the file still has that stamp.</summary>
    byte[]? KnownContentKey(string path, PhotoFileStamp stamp);

    /// <summary>
    /// For each of <paramref name="files"/> (a full path and its stamp now), in order: <see cref="KnownContentKey"/>
    /// and, when known, what that content gave under <paramref name="settingsId"/> (<see cref="Find"/>). What a rerun
    /// asks of every unchanged photo, for many photos in one call: one query to a database, one read transaction in
    /// the SQLite file.
    /// </summary>
    IReadOnlyList<(byte[]? Key, StoredPhoto? Photo)> FindKnown(IReadOnlyList<(string Path, PhotoFileStamp Stamp)> files, long settingsId, int vectorLength);

    /// <summary>Records that the file at <paramref name="path"/> with this stamp has content <paramref name="contentKey"/>.</summary>
    void RememberFile(string path, PhotoFileStamp stamp, byte[] contentKey);

    /// <summary>What encoding the photo gave under <paramref name="settingsId"/>, or null if it is not stored.</summary>
    StoredPhoto? Find(byte[] contentKey, long settingsId, int vectorLength);

    /// <summary>
    /// Stores what encoding the photo gave and remembers its path, in one transaction, and gives up this worker's
    /// claim on it. A photo stored meanwhile by another worker is kept as it is. A database store may hold the photo
    /// back to write it with others (claimed until then): <see cref="Flush"/> writes what is held.
    /// </summary>
    void Save(byte[] contentKey, long settingsId, StoredPhoto photo, string path, PhotoFileStamp stamp);

    /// <summary>Writes what <see cref="Save"/> holds back, if anything; Dispose does too, but drops a failure.</summary>
    void Flush()
    {
    }

    /// <summary>
    /// Claims the photo for this worker, unless another worker's unexpired claim holds it; false then. A store that
    /// only one machine writes (the SQLite file) grants every claim.
    /// </summary>
    bool TryClaim(byte[] contentKey, long settingsId) => true;

    /// <summary>
    /// <see cref="Find"/>, and when the photo is not stored, <see cref="TryClaim"/>: Claimed says whether this worker
    /// holds the claim now. One round trip to a database server.
    /// </summary>
    (StoredPhoto? Photo, bool Claimed) FindOrClaim(byte[] contentKey, long settingsId, int vectorLength) =>
        Find(contentKey, settingsId, vectorLength) is { } photo ? (photo, false) : (null, TryClaim(contentKey, settingsId));

    /// <summary>Gives up this worker's claim on a photo it did not store.</summary>
    void Release(byte[] contentKey, long settingsId)
    {
    }

    /// <summary>
    /// Every path under <paramref name="folder"/> (a full path; every path when null) the store knows, with the stamp
    /// and content key last seen there and what that content gave under <paramref name="settingsId"/> (null when not
    /// stored), in order of path.
    /// </summary>
    IEnumerable<(KnownFile File, StoredPhoto? Photo)> KnownPhotos(string? folder, long settingsId, int vectorLength);

    /// <summary>The error for a photo at <paramref name="path"/> that a read-only store would have to store.</summary>
    EncodingStoreException CannotStore(string path);
}
