using System.Collections.Concurrent;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Model;

namespace FaceCluster.Engine.Store;

/// <summary>
/// A <see cref="FaceEncoder"/> in front of an <see cref="IEncodingStore"/>: a photo whose bytes the store holds under
/// the encoder's settings is not decoded again, wherever it now lies; any other is encoded and stored. A file whose
/// <see cref="PhotoFileStamp"/> is as the store last saw it at its path is not even read again; any other is hashed. A failure that
/// the photo's bytes decide (<see cref="ImageDecodeFailure"/> but Unreadable) is stored too and given again from the
/// store; an unreadable file or an unexpected error is not stored, so the next run tries again. Faces from the store
/// equal fresh ones in every property. A photo another worker has claimed in a shared store is left to it
/// (<see cref="PhotoEncoding.ClaimedElsewhere"/>): ask again later. Safe to call from several threads at once; owns
/// neither the encoder nor the store.
/// </summary>
public sealed class StoredFaceEncoder
{
    private readonly FaceEncoder _encoder;
    private readonly IEncodingStore _store;
    private readonly long _settingsId;

    // What FindUnchanged just learned of the files it could not serve (their stamp, and the content key the store
    // knows at that path, if any), so that Encode need not ask the store about the same path again: a round trip
    // less a new photo on a database server. Taken by Encode; a file whose stamp has changed since is asked again.
    private readonly ConcurrentDictionary<string, (PhotoFileStamp Stamp, byte[]? Key)> _missed = new(StringComparer.Ordinal);

    /// <exception cref="EncodingStoreException">The store cannot be used.</exception>
    public StoredFaceEncoder(FaceEncoder encoder, IEncodingStore store)
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _settingsId = store.SettingsId(EncodingSettings.Describe(encoder.Pack, encoder.Options));
    }

    /// <summary>
    /// The faces in the photo at <paramref name="path"/>, as <see cref="FaceEncoder.Encode"/> gives them, or the
    /// <see cref="ImageDecodeException"/> it throws (now, or when the photo was stored) as <see cref="PhotoEncoding.Failure"/>.
    /// </summary>
    /// <exception cref="EncodingStoreException">The store cannot be used.</exception>
    public PhotoEncoding Encode(string path, CancellationToken ct = default)
    {
        string fullPath = Path.GetFullPath(path);
        try
        {
            return EncodeFull(fullPath, ct);
        }
        catch (ImageDecodeException e)
        {
            return new PhotoEncoding(Array.Empty<FaceEncoding>(), FromStore: false, e);
        }
    }

    private PhotoEncoding EncodeFull(string fullPath, CancellationToken ct)
    {
        if (PhotoFileStamp.Of(fullPath) is not { } before)
        {
            // Missing, unreadable or not a regular file: the encoder reports it; nothing is stored.
            return new PhotoEncoding(_encoder.Encode(fullPath, ct), FromStore: false);
        }

        bool missed = _missed.TryRemove(fullPath, out var lookedUp) && lookedUp.Stamp == before;
        var (known, storedAtPath) = missed
            ? (lookedUp.Key, null)
            : _store.FindKnown([(fullPath, before)], _settingsId, _encoder.Pack.EmbeddingSize)[0];
        byte[] key;
        try
        {
            key = known ?? PhotoContentKey.Of(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PhotoEncoding(_encoder.Encode(fullPath, ct), FromStore: false);
        }

        // A key known at this path comes with what the store holds under it (storedAtPath), unless FindUnchanged
        // asked a moment ago: another worker may have stored the photo since. A store that can be written claims
        // the photo in the same call when it is not stored (claimed: null when not asked).
        StoredPhoto? stored = storedAtPath;
        bool? claimed = null;
        if (known is null || missed)
        {
            if (_store.IsReadOnly)
            {
                stored = _store.Find(key, _settingsId, _encoder.Pack.EmbeddingSize);
            }
            else
            {
                (stored, bool taken) = _store.FindOrClaim(key, _settingsId, _encoder.Pack.EmbeddingSize);
                claimed = taken;
            }
        }

        if (stored is not null)
        {
            if (known is null)
            {
                _store.RememberFile(fullPath, before, key);
            }

            return Served(stored, fullPath);
        }

        if (_store.IsReadOnly)
        {
            // Decoding it would be wasted: what it gives could not be stored.
            throw _store.CannotStore(fullPath);
        }

        if (!(claimed ?? _store.TryClaim(key, _settingsId)))
        {
            return new PhotoEncoding(Array.Empty<FaceEncoding>(), FromStore: false) { ClaimedElsewhere = true };
        }

        bool saved = false;
        try
        {
            IReadOnlyList<FaceEncoding> faces;
            try
            {
                faces = _encoder.Encode(fullPath, ct);
            }
            catch (ImageDecodeException e) when (e.Reason != ImageDecodeFailure.Unreadable)
            {
                saved = SaveIfUnchanged(key, StoredPhoto.Failed(e.Reason, e.Detail), fullPath, before);
                throw;
            }

            saved = SaveIfUnchanged(key, Stored(faces), fullPath, before);
            return new PhotoEncoding(faces, FromStore: false);
        }
        finally
        {
            if (!saved)
            {
                ReleaseClaim(key);
            }
        }
    }

    /// <summary>
    /// For each of <paramref name="paths"/>, in order: what <see cref="Encode"/> gives for it when the file is as the
    /// store last saw it at that path and its content is stored under the encoder's settings, else null (new, changed,
    /// moved, missing or not stored: give it to <see cref="Encode"/>, which then does not ask the store about that path
    /// again while the file's stamp is the same). One call to the store for all, the warm rerun's path; reads only.
    /// </summary>
    /// <exception cref="EncodingStoreException">The store cannot be used.</exception>
    public PhotoEncoding?[] FindUnchanged(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var found = new PhotoEncoding?[paths.Count];
        var files = new List<(string Path, PhotoFileStamp Stamp)>(paths.Count);
        var asked = new List<int>(paths.Count);
        for (int i = 0; i < paths.Count; i++)
        {
            string fullPath = Path.GetFullPath(paths[i]);
            if (PhotoFileStamp.Of(fullPath) is { } stamp)
            {
                files.Add((fullPath, stamp));
                asked.Add(i);
            }
        }

        var known = _store.FindKnown(files, _settingsId, _encoder.Pack.EmbeddingSize);
        for (int k = 0; k < asked.Count; k++)
        {
            if (known[k].Photo is { } stored)
            {
                found[asked[k]] = Served(stored, files[k].Path);
            }
            else
            {
                _missed[files[k].Path] = (files[k].Stamp, known[k].Key);
            }
        }

        return found;
    }

    private PhotoEncoding Served(StoredPhoto stored, string fullPath) => stored.Failure is { } failure
        ? new PhotoEncoding(Array.Empty<FaceEncoding>(), FromStore: true,
            new ImageDecodeException(fullPath, failure, $"{stored.FailureDetail} (as recorded in the encoding store)"))
        : new PhotoEncoding(stored.FacesAt(fullPath, _encoder.Pack.Name), FromStore: true);

    private bool SaveIfUnchanged(byte[] key, StoredPhoto photo, string fullPath, PhotoFileStamp before)
    {
        // A file rewritten while it was hashed or decoded may not match its key: store nothing for it this time.
        if (PhotoFileStamp.Of(fullPath) != before)
        {
            return false;
        }

        _store.Save(key, _settingsId, photo, fullPath, before);
        return true;
    }

    private void ReleaseClaim(byte[] key)
    {
        try
        {
            _store.Release(key, _settingsId);
        }
        catch (EncodingStoreException)
        {
            // The claim expires by itself; the error that brought us here matters more.
        }
    }

    private static StoredPhoto Stored(IReadOnlyList<FaceEncoding> faces) => new(
        faces.Select(f => new StoredFace(f.FaceIndex, f.Box, f.Landmarks, f.Confidence, f.Vector)).ToArray(),
        faces.Count > 0 ? faces[0].ImageWidth : 0,
        faces.Count > 0 ? faces[0].ImageHeight : 0);
}
