using System.Numerics.Tensors;
using FaceCluster.Engine.Encoding;
using FaceCluster.Engine.Imaging;
using FaceCluster.Engine.Models;
using FaceCluster.Model;
using SkiaSharp;

namespace FaceCluster.Engine.Tests.Encoding;

public class FaceEncoderTests(EncoderFixture fixture) : IClassFixture<EncoderFixture>
{
    private const float SamePersonCosine = 0.5f;

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(5, 5)]
    [InlineData(6, 4)]
    public void Finds_every_face_in_the_samples(int sample, int expected)
    {
        var faces = fixture.Sample(sample);

        Assert.Equal(expected, faces.Count);
        Assert.Equal(Enumerable.Range(0, expected), faces.Select(f => f.FaceIndex));
        Assert.Equal(faces.OrderBy(f => f.Box.X).Select(f => f.FaceIndex), faces.Select(f => f.FaceIndex));
        foreach (var face in faces)
        {
            Assert.Equal(Path.GetFullPath(TestAssets.Sample(sample)), face.Path);
            Assert.Equal("faceplugin", face.Model);
            Assert.Equal(512, face.Vector.Length);
            Assert.Equal(1f, TensorPrimitives.Norm(face.Vector), 1e-4);
            Assert.Equal(5, face.Landmarks.Length);
            Assert.True(face.Confidence >= 0.7f);
            Assert.Equal(1920, face.ImageWidth);
            Assert.True(face.Box.X >= 0 && face.Box.Right <= face.ImageWidth && face.Box.Bottom <= face.ImageHeight);
            // Whatever the head's tilt: left eye left of the right eye, and the nose between the eyes and the mouth.
            var l = face.Landmarks;
            Assert.True(l[0].X < l[1].X, $"{face}: {string.Join(" ", l)}");
            float ex = (l[0].X + l[1].X) / 2, ey = (l[0].Y + l[1].Y) / 2, mx = (l[3].X + l[4].X) / 2 - ex, my = (l[3].Y + l[4].Y) / 2 - ey;
            float along = ((l[2].X - ex) * mx + (l[2].Y - ey) * my) / (mx * mx + my * my);
            Assert.True(along is > 0.2f and < 0.9f, $"{face}: nose at {along:0.00} of the way from eyes to mouth");
            Assert.All(face.Landmarks, p => Assert.True(
                p.X > face.Box.X - 0.2f * face.Box.Width && p.X < face.Box.Right + 0.2f * face.Box.Width &&
                p.Y > face.Box.Y - 0.2f * face.Box.Height && p.Y < face.Box.Bottom + 0.2f * face.Box.Height));
        }
    }

    [Fact]
    public void Encoding_twice_gives_identical_vectors()
    {
        var again = fixture.Encoder.Encode(TestAssets.Sample(2), CancellationToken.None);
        var first = fixture.Sample(2);

        Assert.Equal(first.Count, again.Count);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Vector, again[i].Vector);
            Assert.Equal(first[i].Box, again[i].Box);
        }
    }

    [Fact]
    public void Concurrent_calls_give_the_same_results_as_sequential_ones()
    {
        var samples = new[] { 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6 };
        var results = new IReadOnlyList<FaceEncoding>[samples.Length];

        Parallel.For(0, samples.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => results[i] = fixture.Encoder.Encode(TestAssets.Sample(samples[i]), CancellationToken.None));

        for (int i = 0; i < samples.Length; i++)
        {
            var expected = fixture.Sample(samples[i]);
            Assert.Equal(expected.Select(f => f.Vector), results[i].Select(f => f.Vector));
        }
    }

    [Fact]
    public void A_mirrored_face_is_the_same_person_and_other_people_are_not()
    {
        var original = fixture.Sample(1);
        using var temp = new TempDirectory();
        var mirroredPath = temp.File("mirrored.jpg");
        using (var loaded = SKBitmap.Decode(TestAssets.Sample(1)))
        using (var mirrored = TestImages.Transform(loaded, new SKMatrix(-1, 0, loaded.Width, 0, 1, 0, 0, 0, 1), loaded.Width, loaded.Height))
        {
            TestImages.WriteJpeg(mirroredPath, mirrored);
        }

        var mirroredFaces = fixture.Encoder.Encode(mirroredPath, CancellationToken.None);

        Assert.Equal(original.Count, mirroredFaces.Count);
        foreach (var face in original)
        {
            var twin = mirroredFaces.MinBy(m => Math.Abs(m.Box.CenterX - (face.ImageWidth - face.Box.CenterX)) + Math.Abs(m.Box.CenterY - face.Box.CenterY))!;
            var similarity = TensorPrimitives.CosineSimilarity(face.Vector, twin.Vector);
            Assert.True(similarity > SamePersonCosine, $"{face} vs its mirror image: cosine {similarity:0.000}");
        }
    }

    [Fact]
    public void Different_people_in_a_group_photo_are_mostly_below_the_same_person_cosine()
    {
        var similarities = Enumerable.Range(1, 6)
            .Select(fixture.Sample)
            .SelectMany(faces => faces.SelectMany((a, i) => faces.Skip(i + 1).Select(b => TensorPrimitives.CosineSimilarity(a.Vector, b.Vector))))
            .ToArray();

        double below = similarities.Count(s => s < SamePersonCosine) / (double)similarities.Length;
        Assert.True(below >= 0.9, $"only {below:P0} of {similarities.Length} pairs below {SamePersonCosine}: {string.Join(", ", similarities.Select(s => s.ToString("0.00")))}");
    }

    [Fact]
    public void Exif_rotated_photo_gives_the_upright_faces()
    {
        using var temp = new TempDirectory();
        var path = temp.File("rotated.jpg");
        using (var upright = SKBitmap.Decode(TestAssets.Sample(3)))
        {
            // Stored rotated 90 degrees counter-clockwise; orientation 6 says "rotate clockwise to display".
            using var stored = TestImages.Transform(upright, new SKMatrix(0, 1, 0, -1, 0, upright.Width, 0, 0, 1), upright.Height, upright.Width);
            TestImages.WriteJpegWithOrientation(path, stored, 6);
        }

        var faces = fixture.Encoder.Encode(path, CancellationToken.None);
        var expected = fixture.Sample(3);

        Assert.Equal((expected[0].ImageWidth, expected[0].ImageHeight), (faces[0].ImageWidth, faces[0].ImageHeight));
        Assert.Equal(expected.Count, faces.Count);
        for (int i = 0; i < faces.Count; i++)
        {
            Assert.True(Math.Abs(faces[i].Box.CenterX - expected[i].Box.CenterX) < 10 && Math.Abs(faces[i].Box.CenterY - expected[i].Box.CenterY) < 10,
                $"face {i}: {faces[i].Box} vs {expected[i].Box}");
            Assert.True(TensorPrimitives.CosineSimilarity(faces[i].Vector, expected[i].Vector) > 0.8f);
        }
    }

    [Theory]
    [InlineData("heic")]
    [InlineData("avif")]
    [InlineData("tif")]
    public void Rotated_phone_photo_gives_the_upright_faces(string format)
    {
        using var temp = new TempDirectory();
        var path = temp.File("rotated." + format);
        using (var upright = SKBitmap.Decode(TestAssets.Sample(3)))
        {
            // Stored rotated 90 degrees counter-clockwise, marked to be shown rotated clockwise.
            using var stored = TestImages.Transform(upright, new SKMatrix(0, 1, 0, -1, 0, upright.Width, 0, 0, 1), upright.Height, upright.Width);
            PhonePhotos.WriteRotatedClockwise(path, stored, format);
        }

        var faces = fixture.Encoder.Encode(path, CancellationToken.None);
        var expected = fixture.Sample(3);

        Assert.Equal(expected.Count, faces.Count);
        Assert.Equal((expected[0].ImageWidth, expected[0].ImageHeight), (faces[0].ImageWidth, faces[0].ImageHeight));
        for (int i = 0; i < faces.Count; i++)
        {
            Assert.True(Math.Abs(faces[i].Box.CenterX - expected[i].Box.CenterX) < 10 && Math.Abs(faces[i].Box.CenterY - expected[i].Box.CenterY) < 10,
                $"face {i}: {faces[i].Box} vs {expected[i].Box}");
            Assert.True(TensorPrimitives.CosineSimilarity(faces[i].Vector, expected[i].Vector) > 0.8f);
        }
    }

    [Fact]
    public void A_photo_without_faces_gives_an_empty_list()
    {
        using var temp = new TempDirectory();
        var path = temp.File("sky.jpg");
        TestImages.WriteSolidJpeg(path, 640, 480, SKColors.SkyBlue);

        Assert.Empty(fixture.Encoder.Encode(path, CancellationToken.None));
    }

    [Fact]
    public void Large_photo_reports_full_resolution_coordinates()
    {
        using var temp = new TempDirectory();
        var path = temp.File("large.jpg");
        using (var original = SKBitmap.Decode(TestAssets.Sample(5)))
        using (var large = original.Resize(new SKImageInfo(original.Width * 2, original.Height * 2), new SKSamplingOptions(SKFilterMode.Linear)))
        {
            TestImages.WriteJpeg(path, large);
        }

        var faces = fixture.Encoder.Encode(path, CancellationToken.None);
        var expected = fixture.Sample(5);

        Assert.Equal(expected.Count, faces.Count);
        Assert.Equal(expected[0].ImageWidth * 2, faces[0].ImageWidth);
        for (int i = 0; i < faces.Count; i++)
        {
            Assert.True(Math.Abs(faces[i].Box.CenterX - 2 * expected[i].Box.CenterX) < 20 && Math.Abs(faces[i].Box.Width - 2 * expected[i].Box.Width) < 30,
                $"face {i}: {faces[i].Box} vs 2 x {expected[i].Box}");
        }
    }

    [Fact]
    public void Small_faces_in_a_large_photo_get_their_chips_from_a_finer_decode()
    {
        // A 4032x3024 photo with sample 1 at its own size in the middle: its faces are found in the 1/4-scale decode
        // (1008x756), where they are too small for their chips. Cut from the 1/2-scale decode of their region, their
        // vectors are within 0.998 (cosine) of a full-size decode's; cut from the 1/4-scale decode, 0.962 to 0.985.
        using var temp = new TempDirectory();
        var path = temp.File("camera.jpg");
        using (var sample = SKBitmap.Decode(TestAssets.Sample(1)))
        using (var photo = new SKBitmap(4032, 3024))
        {
            using (var canvas = new SKCanvas(photo))
            using (var image = SKImage.FromBitmap(sample))
            {
                canvas.Clear(new SKColor(96, 110, 120));
                canvas.DrawImage(image, (4032 - sample.Width) / 2, (3024 - sample.Height) / 2);
            }

            TestImages.WriteJpeg(path, photo, quality: 90);
        }

        var faces = fixture.Encoder.Encode(path, CancellationToken.None);
        var catalog = ModelPackCatalog.Load(TestAssets.ModelsDirectory);
        using var full = FaceEncoder.Create(catalog.Get(catalog.DefaultPackName), new FaceEncoderOptions { MaxImageSize = 20000 });
        var reference = full.Encode(path, CancellationToken.None);

        var similarities = faces.Select(face => TensorPrimitives.CosineSimilarity(face.Vector,
            reference.MinBy(r => Math.Abs(r.Box.CenterX - face.Box.CenterX) + Math.Abs(r.Box.CenterY - face.Box.CenterY))!.Vector)).ToArray();
        Assert.True(faces.Count >= 3, $"{faces.Count} faces");
        Assert.True(similarities.Min() > 0.99f, string.Join(", ", similarities.Select(x => x.ToString("0.000"))));
    }

    [Fact]
    public void Bad_input_surfaces_as_ImageDecodeException()
    {
        using var temp = new TempDirectory();
        var path = temp.File("empty.jpg");
        File.WriteAllBytes(path, []);

        var e = Assert.Throws<ImageDecodeException>(() => fixture.Encoder.Encode(path, CancellationToken.None));
        Assert.Equal(ImageDecodeFailure.Empty, e.Reason);
    }

    [Fact]
    public void A_cancelled_token_stops_before_work()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => fixture.Encoder.Encode(TestAssets.Sample(1), cts.Token));
    }

    [Fact]
    public void Create_refuses_bad_options() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FaceEncoder.Create(fixture.Encoder.Pack, new FaceEncoderOptions { MinConfidence = 2 }));
}
