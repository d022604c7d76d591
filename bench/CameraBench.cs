#:project ../src/FaceCluster.Engine/FaceCluster.Engine.csproj
// Camera photos for the speed bench, and where the time of one goes.
//
// --make <dir>: writes 12-megapixel (4032x3024, the 4:3 size of most phone cameras) JPEGs made from the six sample
// group photos: each is scaled up to cover 4032x3024 (bilinear, cropped at the sides), given Gaussian noise of sigma
// 6 per channel (a camera's sensor noise; without it the upscaled photo compresses to a fraction of a real one's size
// and decodes faster) and encoded at quality 90. --copies N makes N of each sample with different noise (default 4).
//
// --profile <dir>: encodes every .jpg in <dir> one at a time on one thread (FaceEncoder.Encode) and reports the
// milliseconds per photo: the whole, and of it the decode (ImageLoader.LoadCoarse: read, decode at reduced scale with
// the damage check, orientation) and detection, timed alone; the rest is landmarks, alignment and embedding, with the
// finer decodes of the regions of small faces. It counts the faces that needed one.
//
// --compare <dir>: encodes every .jpg in <dir> at --max-image-size and at full resolution, and reports how close the
// vectors of the same face are (cosine similarity; faces matched by the centre of their box).
//
// Usage: dotnet run -c Release bench/CameraBench.cs -- --make <dir> [--copies 4] [--samples <dir>]
//        dotnet run -c Release bench/CameraBench.cs -- --profile <dir> [--models <dir>] [--max-image-size 1600]
//        dotnet run -c Release bench/CameraBench.cs -- --compare <dir> [--models <dir>] [--max-image-size 1600]
using System.Diagnostics;
using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Detection;
using FaceCluster.Engine.Embedding;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Models;
using SkiaSharp;

string root = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "..");
var options = new Dictionary<string, string>
{
    ["--samples"] = Path.Combine(root, "artifacts/samples"),
    ["--models"] = Path.Combine(root, "artifacts/module/FaceCluster/models"),
    ["--copies"] = "4",
    ["--max-image-size"] = new FaceEncoderOptions().MaxImageSize.ToString(),
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

if (options.TryGetValue("--make", out var target))
{
    Make(options["--samples"], target, int.Parse(options["--copies"]));
}
else if (options.TryGetValue("--profile", out var folder))
{
    Profile(folder, options["--models"], int.Parse(options["--max-image-size"]));
}
else if (options.TryGetValue("--compare", out var compared))
{
    Compare(compared, options["--models"], int.Parse(options["--max-image-size"]));
}
else
{
    Console.Error.WriteLine("Give --make <dir>, --profile <dir> or --compare <dir>.");
    return 2;
}

return 0;

static void Make(string samples, string target, int copies)
{
    const int Width = 4032, Height = 3024;
    Directory.CreateDirectory(target);
    foreach (var sample in Directory.GetFiles(samples, "*.jpg").Order())
    {
        using var source = SKBitmap.Decode(sample);
        float scale = Math.Max((float)Width / source.Width, (float)Height / source.Height);
        for (int copy = 0; copy < copies; copy++)
        {
            using var photo = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(photo))
            using (var image = SKImage.FromBitmap(source))
            {
                canvas.Translate((Width - source.Width * scale) / 2, (Height - source.Height * scale) / 2);
                canvas.Scale(scale);
                canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
            }

            AddNoise(photo, sigma: 6, seed: copy);
            var path = Path.Combine(target, $"{Path.GetFileNameWithoutExtension(sample)}-12mp-{copy}.jpg");
            using var data = photo.Encode(SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(path, data.ToArray());
            Console.WriteLine($"{path}: {new FileInfo(path).Length / 1e6:0.0} MB");
        }
    }
}

static void AddNoise(SKBitmap bitmap, double sigma, int seed)
{
    var random = new Random(seed);
    // A table of Gaussian deviates (Box-Muller), reused with random offsets: fast enough for 36 million samples.
    var table = new sbyte[1 << 16];
    for (int i = 0; i < table.Length; i++)
    {
        double g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        table[i] = (sbyte)Math.Clamp(Math.Round(g * sigma), -127, 127);
    }

    var pixels = bitmap.GetPixelSpan();
    int at = random.Next(table.Length);
    for (int i = 0; i < pixels.Length; i++)
    {
        if ((i & 3) == 3)
        {
            continue; // alpha
        }

        if ((i & 0xFFF) == 0)
        {
            at = random.Next(table.Length);
        }

        pixels[i] = (byte)Math.Clamp(pixels[i] + table[at++ & 0xFFFF], 0, 255);
    }
}

static void Profile(string folder, string models, int maxImageSize)
{
    var catalog = ModelPackCatalog.Load(models);
    var pack = catalog.Get(catalog.DefaultPackName);
    var options = new FaceEncoderOptions { MaxImageSize = maxImageSize };
    using var encoder = FaceEncoder.Create(pack, options);
    using var detectorModel = new OnnxModel(pack.GetFile(ModelFileRole.Detector).FullPath, 1);
    using var landmarkModel = new OnnxModel(pack.GetFile(ModelFileRole.Landmarks).FullPath, 1);
    var detector = new FaceDetector(detectorModel);
    var landmarks = new LandmarkDetector(landmarkModel);
    var aligner = new FaceChipAligner(pack.ChipTemplate, 1);

    var files = Directory.GetFiles(folder, "*.jpg").Order().ToArray();
    double decode = 0, detect = 0, total = 0;
    int faces = 0, small = 0;
    var watch = new Stopwatch();
    foreach (var (file, n) in files.Select((f, n) => (f, n)))
    {
        watch.Restart();
        using var loaded = ImageLoader.LoadCoarse(file, maxImageSize);
        using var image = SKImage.FromBitmap(loaded.Bitmap);
        double d = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var found = detector.Detect(image, options.MinConfidence);
        double t = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        int encoded = encoder.Encode(file).Count;
        double e = watch.Elapsed.TotalMilliseconds;
        int finer = loaded.Finer is null ? 0 : found.Count(face =>
            !FaceEncoder.SharpEnough(face.Box, aligner.ImageToChip(aligner.FivePoints(landmarks.Detect(image, face.Box)))));
        if (n > 0)
        {
            // The first photo warms the sessions up; it is left out.
            (decode, detect, total, faces, small) = (decode + d, detect + t, total + e, faces + encoded, small + finer);
        }
    }

    int counted = files.Length - 1;
    double perFace = total - decode - detect;
    Console.WriteLine($"{counted} photos, {faces} faces ({small} from a finer decode of their region), max image size {maxImageSize}; " +
        $"ms per photo: decode {decode / counted:0.0}, detect {detect / counted:0.0}, " +
        $"landmarks+align+embed with the finer region decodes {perFace / counted:0.0} ({perFace / Math.Max(1, faces):0.0} per face); " +
        $"total (FaceEncoder.Encode) {total / counted:0.0}");
}

static void Compare(string folder, string models, int maxImageSize)
{
    var catalog = ModelPackCatalog.Load(models);
    var pack = catalog.Get(catalog.DefaultPackName);
    using var reduced = FaceEncoder.Create(pack, new FaceEncoderOptions { MaxImageSize = maxImageSize });
    using var full = FaceEncoder.Create(pack, new FaceEncoderOptions { MaxImageSize = 20000 });
    var similarities = new List<float>();
    int unmatched = 0;
    foreach (var file in Directory.GetFiles(folder, "*.jpg").Order())
    {
        var a = reduced.Encode(file);
        var b = full.Encode(file);
        foreach (var face in a)
        {
            var match = b.MinBy(o => Math.Abs(o.Box.CenterX - face.Box.CenterX) + Math.Abs(o.Box.CenterY - face.Box.CenterY));
            if (match is null || Math.Abs(match.Box.CenterX - face.Box.CenterX) > face.Box.Width / 4)
            {
                unmatched++;
                continue;
            }

            similarities.Add(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(face.Vector, match.Vector));
        }
    }

    similarities.Sort();
    Console.WriteLine($"{similarities.Count} faces found at both sizes ({unmatched} at {maxImageSize} only); cosine similarity of " +
        $"their vectors at {maxImageSize} and at full size: min {similarities[0]:0.000}, " +
        $"median {similarities[similarities.Count / 2]:0.000}, mean {similarities.Average():0.000}");
}
