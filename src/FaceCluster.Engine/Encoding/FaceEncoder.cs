using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Detection;
using FaceCluster.Engine.Embedding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using FaceCluster.Engine.Models;
using SkiaSharp;

namespace FaceCluster.Engine.Encoding;

/// <summary>
/// Turns a photo into one <see cref="FaceEncoding"/> per face: decode (upright, reduced), detect, 68 landmarks, 5-point
/// similarity alignment to the pack's chip (jittered when asked), embedding. The ONNX sessions are created once; <see cref="Encode"/> is safe to call
/// from several threads at once. <see cref="Dispose"/> does not wait: the sessions are freed when the last
/// <see cref="Encode"/> under way returns, never while one uses them.
/// </summary>
public sealed class FaceEncoder : IDisposable
{
    private readonly OnnxModel _detectorModel;
    private readonly OnnxModel _landmarkModel;
    private readonly OnnxModel _embeddingModel;
    private readonly IFaceDetector _detector;
    private readonly LandmarkDetector _landmarks;
    private readonly FaceEmbedder _embedder;
    private readonly FaceChipAligner _aligner;

    // Users of the sessions: one for the encoder itself until Dispose, plus one per Encode under way. Whoever
    // brings it to zero frees the sessions.
    private int _users = 1;
    private int _disposed;

    private FaceEncoder(ModelPack pack, FaceEncoderOptions options, OnnxModel detector, OnnxModel landmarks, OnnxModel embedding)
    {
        Pack = pack;
        Options = options;
        _detectorModel = detector;
        _landmarkModel = landmarks;
        _embeddingModel = embedding;
        _detector = pack.Detector switch
        {
            DetectorKind.SsdMobilenetV1 => new SsdMobilenetV1Detector(detector),
            _ => new FaceDetector(detector),
        };
        _landmarks = new LandmarkDetector(landmarks);
        _embedder = new FaceEmbedder(embedding, pack.Input);
        _aligner = new FaceChipAligner(pack.ChipTemplate, options.Jitter);
    }

    public ModelPack Pack { get; }

    public FaceEncoderOptions Options { get; }

    /// <summary>Verifies the pack's files (SHA-256) and opens its networks.</summary>
    /// <exception cref="ModelFileException">A model file is missing or differs from packs.json.</exception>
    public static FaceEncoder Create(ModelPack pack, FaceEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        pack.VerifyFiles();

        var opened = new List<OnnxModel>();
        try
        {
            foreach (var role in new[] { ModelFileRole.Detector, ModelFileRole.Landmarks, ModelFileRole.Embedding })
            {
                opened.Add(new OnnxModel(pack.GetFile(role).FullPath, options.IntraOpThreads));
            }

            return new FaceEncoder(pack, options, opened[0], opened[1], opened[2]);
        }
        catch
        {
            opened.ForEach(m => m.Dispose());
            throw;
        }
    }

    /// <summary>
    /// The faces in the image at <paramref name="path"/>, ordered left to right then top to bottom; empty when there is none.
    /// Boxes and landmarks are in pixels of the upright full-resolution image.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file cannot be decoded.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public IReadOnlyList<FaceEncoding> Encode(string path, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        AddUser();
        try
        {
            return EncodeUnguarded(path, ct);
        }
        finally
        {
            RemoveUser();
        }
    }

    private IReadOnlyList<FaceEncoding> EncodeUnguarded(string path, CancellationToken ct)
    {
        var fullPath = Path.GetFullPath(path);
        using var loaded = ImageLoader.Load(fullPath, Options.MaxImageSize);
        using var image = SKImage.FromBitmap(loaded.Bitmap);
        ct.ThrowIfCancellationRequested();

        float toFull = 1f / loaded.Scale;
        var faces = new List<(DetectedFace Face, FacePoint[] Five, float[] Vector)>();
        foreach (var face in _detector.Detect(image, Options.MinConfidence))
        {
            if (Math.Min(face.Box.Width, face.Box.Height) * toFull < Options.MinFaceSize)
            {
                continue;
            }

            ct.ThrowIfCancellationRequested();
            var five = _aligner.FivePoints(_landmarks.Detect(image, face.Box));
            var chips = _aligner.Chips(image, five);
            try
            {
                faces.Add((face, five, _embedder.Embed(chips)));
            }
            finally
            {
                Array.ForEach(chips, c => c.Dispose());
            }
        }

        return faces
            .OrderBy(f => f.Face.Box.X).ThenBy(f => f.Face.Box.Y)
            .Select((f, i) => new FaceEncoding
            {
                Path = fullPath,
                FaceIndex = i,
                Box = new FaceBox(f.Face.Box.X * toFull, f.Face.Box.Y * toFull, f.Face.Box.Width * toFull, f.Face.Box.Height * toFull),
                Landmarks = f.Five.Select(p => new FacePoint(p.X * toFull, p.Y * toFull)).ToArray(),
                Confidence = f.Face.Confidence,
                Vector = f.Vector,
                Model = Pack.Name,
                ImageWidth = loaded.FullWidth,
                ImageHeight = loaded.FullHeight,
            })
            .ToArray();
    }

    /// <summary>Frees the sessions now, or when the last <see cref="Encode"/> under way returns.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            RemoveUser();
        }
    }

    private void AddUser()
    {
        while (true)
        {
            int users = Volatile.Read(ref _users);
            // Refused once disposed; a race with Dispose is harmless: this call then keeps the sessions alive until it returns.
            ObjectDisposedException.ThrowIf(users == 0 || Volatile.Read(ref _disposed) != 0, this);
            if (Interlocked.CompareExchange(ref _users, users + 1, users) == users)
            {
                return;
            }
        }
    }

    private void RemoveUser()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            _detectorModel.Dispose();
            _landmarkModel.Dispose();
            _embeddingModel.Dispose();
        }
    }
}
