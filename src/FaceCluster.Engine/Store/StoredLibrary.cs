using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Models;

namespace FaceCluster.Engine.Store;

/// <summary>
/// Reads a library's encodings from a store alone, decoding no photo: every path under a folder that the store has
/// seen, with the faces stored for its content under one pack and options. A path is checked by its
/// <see cref="PhotoFileStamp"/> only (no photo is read): a file gone since is reported <see cref="StoredLibraryState.Gone"/>, one changed since or
/// never encoded under these settings <see cref="StoredLibraryState.NotStored"/>.
/// </summary>
public sealed class StoredLibrary
{
    private readonly IEncodingStore _store;
    private readonly ModelPack _pack;
    private readonly long _settingsId;

    /// <exception cref="EncodingStoreException">The store cannot be used.</exception>
    public StoredLibrary(IEncodingStore store, ModelPack pack, FaceEncoderOptions options)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _pack = pack ?? throw new ArgumentNullException(nameof(pack));
        _settingsId = store.SettingsId(EncodingSettings.Describe(pack, options));
    }

    /// <summary>
    /// The photos under <paramref name="folder"/> (a full path) the store knows, in order of path.
    /// </summary>
    /// <exception cref="EncodingStoreException">The store cannot be used.</exception>
    public IEnumerable<StoredLibraryPhoto> Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        bool isFile = File.Exists(full);
        string prefix = isFile || Path.EndsInDirectorySeparator(full) ? full : full + Path.DirectorySeparatorChar;
        foreach (var (file, stored) in _store.KnownPhotos(prefix, _settingsId, _pack.EmbeddingSize))
        {
            if (isFile && file.Path != full)
            {
                continue;
            }

            yield return Look(file, stored);
        }
    }

    private static StoredLibraryPhoto Look(KnownFile file, StoredPhoto? stored)
    {
        if (PhotoFileStamp.Of(file.Path) is not { } now)
        {
            return new StoredLibraryPhoto(file.Path, StoredLibraryState.Gone, null);
        }

        return stored is null || !now.ToBytes().AsSpan().SequenceEqual(file.Stamp)
            ? new StoredLibraryPhoto(file.Path, StoredLibraryState.NotStored, null)
            : new StoredLibraryPhoto(file.Path, StoredLibraryState.Stored, stored);
    }
}
