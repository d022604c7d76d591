using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.FileSystem;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Store;
using FaceCluster.Model;
using FaceCluster.Engine.Models;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Detects every face in images and computes an identity embedding for each.</para>
/// Streams one FaceEncoding per face, in input order, while images are processed in parallel.
/// </summary>
[Cmdlet(VerbsCommon.Get, "FaceEncoding", DefaultParameterSetName = PathParameterSet)]
[OutputType("FaceCluster.Model.FaceEncoding")]
public sealed class GetFaceEncodingCommand : PSCmdlet, IDisposable
{
    private const string PathParameterSet = "Path";
    private const string LiteralPathParameterSet = "LiteralPath";
    private static readonly TimeSpan ClaimPollInterval = TimeSpan.FromMilliseconds(250);

    // Photos looked up in the store together (StoredFaceEncoder.FindUnchanged): one query to a database server for
    // this many unchanged photos, not one each.
    private const int StoreLookupBatch = 256;

    private readonly Queue<PendingImage> _pending = new();
    private readonly List<string> _unlooked = new();
    private readonly ExportFolderFinder _exports = new();
    private readonly HashSet<string> _skippedExports = new(PathComparison.Comparer);
    private PhotoFolderWalker? _walker;
    private CancellationTokenSource? _cancellation;
    private FaceEncoder? _encoder;
    private IEncodingStore? _store;
    private StoredFaceEncoder? _storedEncoder;
    private StoredLibrary? _library;
    private ModelPack? _pack;
    private SemaphoreSlim? _slots;
    private ProgressReporter? _progress;
    private int? _total;
    private int _completed;
    private int _faces;
    private int _withoutFace;
    private int _failed;
    private int _fromStore;
    private int _skipped;
    private int _notStored;
    private int _waitingForClaims;
    private int _gone;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet,
        ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter]
    [ArgumentCompleter(typeof(ModelPackCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public float MinConfidence { get; set; } = new FaceEncoderOptions().MinConfidence;

    [Parameter]
    [ValidateRange(1, 100000)]
    public int MinFaceSize { get; set; } = new FaceEncoderOptions().MinFaceSize;

    [Parameter]
    [ValidateRange(320, 20000)]
    public int MaxImageSize { get; set; } = new FaceEncoderOptions().MaxImageSize;

    [Parameter]
    [ValidateRange(1, 100)]
    public int Jitter { get; set; } = new FaceEncoderOptions().Jitter;

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    [Parameter]
    public SwitchParameter Recurse { get; set; }

    [Parameter]
    public SwitchParameter IncludeExportFolder { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? StoreCredential { get; set; }

    [Parameter]
    [ValidateRange(1, 86400)]
    public int ClaimTimeoutSec { get; set; } = (int)new PostgresStoreOptions().ClaimTimeout.TotalSeconds;

    [Parameter]
    public SwitchParameter FromStore { get; set; }

    protected override void BeginProcessing()
    {
        _cancellation = new CancellationTokenSource();
        ModelPack pack = ResolvePack();
        var options = new FaceEncoderOptions
        {
            MinConfidence = MinConfidence,
            MinFaceSize = MinFaceSize,
            MaxImageSize = MaxImageSize,
            Jitter = Jitter,
            IntraOpThreads = 1,
        };

        if (FromStore)
        {
            OpenLibrary(pack, options);
            return;
        }

        try
        {
            _encoder = FaceEncoder.Create(pack, options);
        }
        catch (ModelFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ModelFileInvalid", ErrorCategory.ResourceUnavailable, pack.Name));
        }

        if (Store is not null)
        {
            OpenStore();
            _storedEncoder = Guard(() => new StoredFaceEncoder(_encoder!, _store!));
        }

        _slots = new SemaphoreSlim(ThrottleLimit);
        _progress = new ProgressReporter(this, activityId: 1, "Detecting and encoding faces");
        WriteVerbose($"Model pack '{pack.Name}', {ThrottleLimit} image(s) in parallel.");
    }

    protected override void ProcessRecord()
    {
        if (_library is not null)
        {
            WriteLibrary();
            return;
        }

        IEnumerable<string> files = ResolveFiles();
        if (!MyInvocation.ExpectingInput && !Recurse)
        {
            // Paths given as arguments are resolved up front, so progress can say "n of total". Piped input comes
            // one item at a time, and a folder walk (-Recurse) streams: the total is unknown, and progress shows a
            // count without a percentage.
            var all = files.ToList();
            _total = all.Count;
            files = all;
        }

        foreach (string file in files)
        {
            Enqueue(file);
            // Keep memory bounded and output flowing: never run far ahead of what has been written. A photo that
            // waits for another worker's claim does not count: there are at most as many as the others encode at once.
            // With a store, one batch more: the next batch is looked up while this one is written.
            int ahead = ThrottleLimit * 4 + (_storedEncoder is null ? 0 : StoreLookupBatch);
            DrainCompleted(waitForFront: _pending.Count - Volatile.Read(ref _waitingForClaims) > ahead);
        }
    }

    protected override void EndProcessing()
    {
        LookUpInStore();
        while (_pending.Count > 0)
        {
            DrainCompleted(waitForFront: true);
        }

        if (_store is not null)
        {
            // The last encodings a database store holds back: a failure to write them is this run's.
            Guard(() => { _store.Flush(); return 0; });
        }

        _progress?.Complete();
        if (_library is not null)
        {
            WriteVerbose($"{_completed} image(s) from the store '{_store!.Name}': {_faces} face(s), {_withoutFace} without a face, " +
                $"{_failed} failed; {_notStored} not stored (changed since, or not encoded with these settings); {_gone} gone.");
            return;
        }

        WriteVerbose($"{_completed} image(s): {_faces} face(s), {_withoutFace} without a face, {_failed} failed; {_skipped} skipped in export folders." +
            (_store is null ? string.Empty : $" {_fromStore} image(s) from the store '{_store.Name}'."));
    }

    protected override void StopProcessing() => _cancellation?.Cancel();

    public void Dispose()
    {
        // Workers may still be finishing their current image: the encoder frees its sessions after the last one.
        // The semaphore and the token source stay undisposed for them (neither holds an unmanaged resource here).
        _cancellation?.Cancel();
        _encoder?.Dispose();
        _store?.Dispose();
    }

    private void OpenStore()
    {
        bool shared = PostgresEncodingStore.IsConnectionString(Store!);
        if (!shared && StoreCredential is not null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-StoreCredential is for a PostgreSQL store: give -Store a connection string."),
                "StoreCredentialWithoutServer", ErrorCategory.InvalidArgument, StoreCredential.UserName));
        }

        _store = Guard<IEncodingStore>(() => shared
            ? PostgresEncodingStore.Open(Store!, StoreCredential?.GetNetworkCredential(),
                new PostgresStoreOptions { ClaimTimeout = TimeSpan.FromSeconds(ClaimTimeoutSec) })
            : EncodingStore.Open(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Store!)));
        WriteVerbose($"Encoding store '{_store.Name}'.");
    }

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (EncodingStoreException ex)
        {
            ThrowStoreError(ex);
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }

    private void ThrowStoreError(EncodingStoreException ex)
    {
        ThrowTerminatingError(new ErrorRecord(ex, "EncodingStore" + ex.Problem, ex.Problem switch
        {
            EncodingStoreProblem.Busy => ErrorCategory.ResourceBusy,
            EncodingStoreProblem.Unreachable => ErrorCategory.ConnectionError,
            EncodingStoreProblem.Unusable => ErrorCategory.ResourceUnavailable,
            EncodingStoreProblem.ReadOnly => ErrorCategory.PermissionDenied,
            EncodingStoreProblem.NotAStore => ErrorCategory.InvalidArgument,
            _ => ErrorCategory.InvalidData,
        }, ex.FilePath));
    }

    private void OpenLibrary(ModelPack pack, FaceEncoderOptions options)
    {
        if (Store is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-FromStore reads encodings from a store: name it with -Store."),
                "FromStoreWithoutStore", ErrorCategory.InvalidArgument, null));
        }

        _pack = pack;
        OpenStore();
        _library = Guard(() => new StoredLibrary(_store!, pack, options));
        _progress = new ProgressReporter(this, activityId: 1, "Reading faces from the encoding store");
    }

    private void WriteLibrary()
    {
        bool literal = ParameterSetName == LiteralPathParameterSet;
        foreach (string input in literal ? LiteralPath : Path)
        {
            string folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input);
            try
            {
                foreach (StoredLibraryPhoto photo in _library!.Read(folder))
                {
                    _completed++;
                    _progress!.Report(_completed, null, photo.Path);
                    WriteStored(photo);
                }
            }
            catch (EncodingStoreException ex)
            {
                ThrowStoreError(ex);
            }
        }
    }

    private void WriteStored(StoredLibraryPhoto photo)
    {
        switch (photo)
        {
            case { State: StoredLibraryState.Gone }:
                _gone++;
                WriteVerbose($"'{photo.Path}' is gone since the store saw it.");
                return;
            case { State: StoredLibraryState.NotStored }:
                _notStored++;
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"The store '{_store!.Name}' holds no encoding of '{photo.Path}' as it is now under these " +
                        "settings: it changed since, or no Get-FaceEncoding -Store with this pack and options has read it. Run one over it."),
                    "PhotoNotInStore", ErrorCategory.ObjectNotFound, photo.Path));
                return;
            case { Photo.Failure: { } failure }:
                WriteFailure(new ImageDecodeException(photo.Path, failure, $"{photo.Photo.FailureDetail} (as recorded in the encoding store)"), photo.Path);
                return;
        }

        IReadOnlyList<FaceEncoding> faces = photo.Photo!.FacesAt(photo.Path, _pack!.Name);
        _withoutFace += faces.Count == 0 ? 1 : 0;
        _faces += faces.Count;
        WriteObject(faces, enumerateCollection: true);
    }

    private ModelPack ResolvePack()
    {
        try
        {
            ModelPackCatalog catalog = ModelPacks.Catalog;
            return catalog.Get(Model ?? catalog.DefaultPackName);
        }
        catch (ArgumentException ex)
        {
            if (ModelPacks.BrokenInstalled(Model!) is { } broken)
            {
                ThrowTerminatingError(new ErrorRecord(broken, "ModelPackInvalid", ErrorCategory.InvalidData, broken.FilePath));
            }

            ThrowTerminatingError(new ErrorRecord(ex, "UnknownModel", ErrorCategory.InvalidArgument, Model));
            throw; // unreachable: ThrowTerminatingError always throws
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ModelFileException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ModelFileInvalid", ErrorCategory.ResourceUnavailable, Model));
            throw;
        }
        catch (ModelCatalogException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ModelCatalogInvalid", ErrorCategory.InvalidData, ex.FilePath));
            throw;
        }
    }

    private IEnumerable<string> ResolveFiles()
    {
        bool literal = ParameterSetName == LiteralPathParameterSet;
        foreach (string input in literal ? LiteralPath : Path)
        {
            // A literal path File.Exists has already found to be a file needs no second look (one stat a photo fewer).
            IEnumerable<(string Path, bool IsFile)> resolved = literal ? ResolveLiteral(input) : ResolveWildcard(input).Select(path => (path, false));
            foreach (var (path, isFile) in resolved)
            {
                if (!isFile && Directory.Exists(path))
                {
                    if (!Recurse)
                    {
                        WriteVerbose($"Skipping folder '{path}': add -Recurse to read the photos under it, or pass image files (Get-ChildItem -Recurse -File).");
                        continue;
                    }

                    foreach (string photo in Walk(path))
                    {
                        yield return photo;
                    }

                    continue;
                }

                if (!IncludeExportFolder && _exports.ExportFolderOf(path) is { } export)
                {
                    _skipped++;
                    NoteSkippedExport(export);
                    continue;
                }

                yield return path;
            }
        }
    }

    // The photos under a folder (the walk leaves export folders out itself); a folder it cannot list is an error.
    private IEnumerable<string> Walk(string folder)
    {
        _walker ??= new PhotoFolderWalker(IncludeExportFolder);
        foreach (PhotoWalkEntry entry in _walker.Walk(folder))
        {
            switch (entry.Kind)
            {
                case PhotoWalkEntryKind.Photo:
                    yield return entry.Path;
                    break;
                case PhotoWalkEntryKind.ExportFolder:
                    NoteSkippedExport(entry.Path);
                    break;
                case PhotoWalkEntryKind.UnreadableFolder:
                    WriteError(new ErrorRecord(new IOException($"Cannot read folder '{entry.Path}': {entry.Error!.Message}", entry.Error),
                        "FolderUnreadable", ErrorCategory.ReadError, entry.Path));
                    break;
            }
        }
    }

    private void NoteSkippedExport(string export)
    {
        if (_skippedExports.Add(export))
        {
            WriteVerbose($"Skipping '{export}' and everything in it: it holds a FaceCluster export ({FaceManifest.FileName}). -IncludeExportFolder reads it.");
        }
    }

    private IEnumerable<(string Path, bool IsFile)> ResolveLiteral(string input)
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input, out ProviderInfo provider, out _);
        if (!IsFileSystem(provider, input))
        {
            return [];
        }

        if (File.Exists(path))
        {
            return [(path, true)];
        }

        if (!Directory.Exists(path))
        {
            if (HiddenPath.Reason(path) is not null)
            {
                return [(path, false)]; // the loader reports it as ImageUnreadable
            }

            WriteError(new ErrorRecord(
                new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."),
                "PathNotFound", ErrorCategory.ObjectNotFound, path));
            return [];
        }

        return [(path, false)];
    }

    private IEnumerable<string> ResolveWildcard(string input)
    {
        try
        {
            var paths = SessionState.Path.GetResolvedProviderPathFromPSPath(input, out ProviderInfo provider);
            if (!IsFileSystem(provider, input))
            {
                return Array.Empty<string>();
            }

            if (paths.Count == 0)
            {
                WriteNoMatch(input);
            }

            return paths;
        }
        catch (ItemNotFoundException ex)
        {
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input);
            if (HiddenPath.Reason(path) is not null)
            {
                return new[] { path }; // the loader reports it as ImageUnreadable
            }

            WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, input));
            return Array.Empty<string>();
        }
    }

    private void WriteNoMatch(string input)
    {
        string pattern = SessionState.Path.GetUnresolvedProviderPathFromPSPath(input);
        if (HiddenPath.Reason(pattern) is { } hidden)
        {
            // Nothing matched because the folder cannot be listed: its photos are unreadable, not missing.
            string folder = System.IO.Path.GetDirectoryName(pattern)!;
            WriteError(new ErrorRecord(new UnauthorizedAccessException($"Cannot read folder '{folder}' ({hidden})."),
                "ImageUnreadable", ErrorCategory.ReadError, folder));
            return;
        }

        WriteError(new ErrorRecord(
            new ItemNotFoundException($"No file matches '{input}'."),
            "PathNotFound", ErrorCategory.ObjectNotFound, input));
    }

    private bool IsFileSystem(ProviderInfo provider, string input)
    {
        if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
        {
            return true;
        }

        WriteError(new ErrorRecord(
            new ArgumentException($"'{input}' is not a file-system path."),
            "NotAFileSystemPath", ErrorCategory.InvalidArgument, input));
        return false;
    }

    private void Enqueue(string path)
    {
        if (_storedEncoder is null)
        {
            _pending.Enqueue(new PendingImage(path, Task.FromResult(new[] { Start(path) }), 0));
            return;
        }

        // Held until a batch is full (or the input ends), then looked up in the store at once.
        _unlooked.Add(path);
        if (_unlooked.Count >= StoreLookupBatch)
        {
            LookUpInStore();
        }
    }

    // One task for the batch: a photo the store's look-up found unchanged is served from it at once (no task of its
    // own), and each other one is started for encoding.
    private void LookUpInStore()
    {
        if (_unlooked.Count == 0)
        {
            return;
        }

        string[] paths = _unlooked.ToArray();
        _unlooked.Clear();
        StoredFaceEncoder stored = _storedEncoder!;
        Task<Task<PhotoEncoding>[]> batch = Task.Run(() =>
        {
            PhotoEncoding?[] found = stored.FindUnchanged(paths);
            var photos = new Task<PhotoEncoding>[paths.Length];
            for (int i = 0; i < paths.Length; i++)
            {
                photos[i] = found[i] is { } unchanged ? Task.FromResult(unchanged) : Start(paths[i]);
            }

            return photos;
        }, _cancellation!.Token);
        for (int i = 0; i < paths.Length; i++)
        {
            _pending.Enqueue(new PendingImage(paths[i], batch, i));
        }
    }

    // Encodes a photo (through the store, if any).
    private Task<PhotoEncoding> Start(string path)
    {
        FaceEncoder encoder = _encoder!;
        StoredFaceEncoder? stored = _storedEncoder;
        SemaphoreSlim slots = _slots!;
        CancellationToken token = _cancellation!.Token;
        return Task.Run(async () =>
        {
            while (true)
            {
                await slots.WaitAsync(token).ConfigureAwait(false);
                PhotoEncoding photo;
                try
                {
                    token.ThrowIfCancellationRequested();
                    photo = stored?.Encode(path, token) ?? new PhotoEncoding(encoder.Encode(path, token), FromStore: false);
                }
                finally
                {
                    slots.Release();
                }

                if (!photo.ClaimedElsewhere)
                {
                    return photo;
                }

                // Another worker is encoding it: free the slot for the next photo, and look again soon.
                Interlocked.Increment(ref _waitingForClaims);
                try
                {
                    await Task.Delay(ClaimPollInterval, token).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _waitingForClaims);
                }
            }
        }, token);
    }

    private void DrainCompleted(bool waitForFront)
    {
        while (_pending.Count > 0)
        {
            PendingImage front = _pending.Peek();
            if (!front.IsCompleted)
            {
                if (!waitForFront)
                {
                    return;
                }

                // Wake up often so progress stays current and Ctrl+C is honoured within a second.
                // The wait does not throw for a failed image: WriteOutcome reports it.
                while (!front.Wait(200))
                {
                    _progress!.Report(_completed, _total, front.Path);
                }
            }

            _pending.Dequeue();
            _completed++;
            WriteOutcome(front);
            _progress!.Report(_completed, _total, front.Path);
            waitForFront = false;
        }
    }

    private void WriteOutcome(PendingImage image)
    {
        Task task = image.Outcome;
        if (task.IsCanceled)
        {
            throw new PipelineStoppedException();
        }

        if (task.Exception is { } aggregate)
        {
            Exception ex = aggregate.GetBaseException();
            if (ex is OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }

            if (ex is EncodingStoreException store)
            {
                ThrowStoreError(store);
            }

            WriteFailure(ex, image.Path);
            return;
        }

        PhotoEncoding photo = image.Batch.Result[image.Index].Result;
        _fromStore += photo.FromStore ? 1 : 0;
        if (photo.Failure is { } failure)
        {
            WriteFailure(failure, image.Path);
            return;
        }

        IReadOnlyList<FaceEncoding> faces = photo.Faces;
        if (faces.Count == 0)
        {
            _withoutFace++;
            WriteVerbose($"No face found in '{image.Path}'.");
            return;
        }

        _faces += faces.Count;
        foreach (FaceEncoding face in faces)
        {
            WriteObject(face);
        }
    }

    private void WriteFailure(Exception ex, string path)
    {
        _failed++;
        WriteError(ex is ImageDecodeException decode
            ? new ErrorRecord(decode, "Image" + decode.Reason, CategoryOf(decode.Reason), path)
            : new ErrorRecord(ex, "FaceEncodingFailed", ErrorCategory.NotSpecified, path));
    }

    private static ErrorCategory CategoryOf(ImageDecodeFailure reason) => reason switch
    {
        ImageDecodeFailure.TooLarge => ErrorCategory.LimitsExceeded,
        ImageDecodeFailure.Unreadable => ErrorCategory.ReadError,
        ImageDecodeFailure.NotAFile => ErrorCategory.InvalidType,
        _ => ErrorCategory.InvalidData,
    };

    // A photo in input order: its batch's look-up (a faulted or cancelled look-up is every photo's outcome), then its
    // own task in the batch.
    private sealed record PendingImage(string Path, Task<Task<PhotoEncoding>[]> Batch, int Index)
    {
        public bool IsCompleted => Batch.IsCompleted && (!Batch.IsCompletedSuccessfully || Batch.Result[Index].IsCompleted);

        public Task Outcome => Batch.IsCompletedSuccessfully ? Batch.Result[Index] : Batch;

        // Waits up to the timeout without throwing for a failed photo (WriteOutcome reports it); true once completed.
        public bool Wait(int milliseconds)
        {
            Task.WaitAny([Batch], milliseconds);
            if (!Batch.IsCompletedSuccessfully)
            {
                return Batch.IsCompleted;
            }

            return Task.WaitAny([Batch.Result[Index]], milliseconds) >= 0;
        }
    }
}
