using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Detection;
using FaceCluster.Engine.Embedding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Model;
using FaceCluster.Engine.Models;
using SkiaSharp;

namespace FaceCluster.Engine.Encoding;

/// <summary>
/// Turns a photo into one <see cref="FaceEncoding"/> per face: decode (upright, reduced; a large JPEG coarser still, see
/// <see cref="ImageLoader.LoadCoarse"/>), detect, 68 landmarks, 5-point similarity alignment to the pack's chip
/// (jittered when asked), embedding; a face too small in a coarse decode for its chip has its landmarks and chip cut
/// from a finer decode of its region. The ONNX sessions are created once; <see cref="Encode"/> is safe to call
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
        using var loaded = ImageLoader.LoadCoarse(fullPath, Options.MaxImageSize);
        using var image = SKImage.FromBitmap(loaded.Bitmap);
        ct.ThrowIfCancellationRequested();

        float toFull = 1f / loaded.Scale;
        var faces = new List<(DetectedFace Face, FacePoint[] Five, float[] Vector)>();
        var small = new List<(DetectedFace Face, SKRect Needed)>();
        foreach (var face in _detector.Detect(image, Options.MinConfidence))
        {
            if (Math.Min(face.Box.Width, face.Box.Height) * toFull < Options.MinFaceSize)
            {
                continue;
            }

            ct.ThrowIfCancellationRequested();
            var five = _aligner.FivePoints(_landmarks.Detect(image, face.Box));
            var imageToChip = _aligner.ImageToChip(five);
            if (loaded.Finer is not null && !SharpEnough(face.Box, imageToChip))
            {
                small.Add((face, NeededRegion(face.Box, imageToChip, image.Width, image.Height)));
                continue;
            }

            faces.Add((face, five, Embed(image, imageToChip)));
        }

        if (small.Count > 0)
        {
            EncodeFromFinerDecode(fullPath, loaded, small, faces, ct);
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

    /// <summary>
    /// Whether the face's landmark crop and chips, cut from this image, are as sharp as they would be from a larger one:
    /// true when neither is enlarged from it (the box at least as tall as the landmark network's input, the chip at
    /// most one chip pixel per image pixel).
    /// </summary>
    internal static bool SharpEnough(FaceBox box, SKMatrix imageToChip) =>
        box.Height >= LandmarkDetector.InputSize
        && Math.Abs(imageToChip.ScaleX * imageToChip.ScaleY - imageToChip.SkewX * imageToChip.SkewY) <= 1;

    /// <summary>
    /// Landmarks and chips of the faces too small in <paramref name="loaded"/>'s coarse bitmap, from one decode at the
    /// finer scale of the region that holds them all (libjpeg-turbo entropy-decodes the rows above it, no more);
    /// coordinates stay those of the coarse bitmap. A face whose chips would reach past that region (its landmarks
    /// moved) is done again from a region of its own.
    /// </summary>
    private void EncodeFromFinerDecode(string path, LoadedImage loaded, List<(DetectedFace Face, SKRect Needed)> small,
        List<(DetectedFace Face, FacePoint[] Five, float[] Vector)> faces, CancellationToken ct)
    {
        var finer = loaded.Finer!;
        int width = loaded.Bitmap.Width, height = loaded.Bitmap.Height;
        float k = finer.Scale / loaded.Scale;
        for (int pass = 1; small.Count > 0; pass++)
        {
            var union = small.Select(f => f.Needed).Aggregate(SKRect.Union);
            var region = SKRectI.Ceiling(new SKRect(union.Left * k, union.Top * k, union.Right * k, union.Bottom * k), outwards: true);
            region.Intersect(SKRectI.Create(finer.Width, finer.Height));
            var sourceToImage = SKMatrix.CreateScaleTranslation(1 / k, 1 / k, region.Left / k, region.Top / k);
            var regionInImage = sourceToImage.MapRect(SKRect.Create(region.Width, region.Height));
            regionInImage.Inflate(0.5f, 0.5f);
            using var pixels = finer.Decode(path, region);
            using var source = SKImage.FromBitmap(pixels);
            var outside = new List<(DetectedFace Face, SKRect Needed)>();
            foreach (var (face, _) in small)
            {
                ct.ThrowIfCancellationRequested();
                var five = _aligner.FivePoints(_landmarks.Detect(source, sourceToImage, face.Box, width, height));
                var imageToChip = _aligner.ImageToChip(five);
                var chipSource = _aligner.SourceBounds(imageToChip);
                chipSource.Intersect(SKRect.Create(width, height));
                if (pass == 1 && !regionInImage.Contains(chipSource))
                {
                    outside.Add((face, NeededRegion(face.Box, imageToChip, width, height)));
                    continue;
                }

                faces.Add((face, five, Embed(source, SKMatrix.Concat(imageToChip, sourceToImage))));
            }

            small = outside;
        }
    }

    /// <summary>
    /// The part of the image (width x height) that the face's landmark crop and chips are cut from, with a margin of a
    /// quarter of the box for landmarks found again at a finer scale to move in.
    /// </summary>
    private SKRect NeededRegion(FaceBox box, SKMatrix imageToChip, int width, int height)
    {
        var crop = LandmarkDetector.CropSquare(box, width, height);
        var needed = SKRect.Union(new SKRect(crop.X, crop.Y, crop.Right, crop.Bottom), _aligner.SourceBounds(imageToChip));
        needed.Inflate(box.Height / 4, box.Height / 4);
        needed.Intersect(SKRect.Create(width, height));
        return needed;
    }

    private float[] Embed(SKImage source, SKMatrix sourceToChip)
    {
        var chips = _aligner.Chips(source, sourceToChip);
        try
        {
            return _embedder.Embed(chips);
        }
        finally
        {
            Array.ForEach(chips, c => c.Dispose());
        }
    }

    /// <summary>Frees the sessions now, or when the last <see cref="Encode"/> under way returns.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            RemoveUser();
        }
    }

    /// <summary>The encoder's own hold on the sessions until Dispose, plus one per Encode under way; 0 once they are freed.</summary>
    internal int SessionUsers => Volatile.Read(ref _users);

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
