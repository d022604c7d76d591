using ImageMagick;
using static FaceCluster.Engine.Tests.HostileImages;

namespace FaceCluster.Engine.Tests.Imaging;

/// <summary>
/// The fuzz table: every container format the loader accepts, each with a hostile inner image (a size its data
/// cannot hold, data cut short, an image of another type inside) and with oversized metadata (huge EXIF, ICC, XMP
/// or text, and compressed bombs that inflate to gigabytes). Each case is a file name (its extension says the
/// container) and how to build its bytes.
/// </summary>
internal static class HostileImageCases
{
    /// <summary>What each compressed bomb inflates to: enough to be seen, little enough for a shared test machine.</summary>
    private const long BombBytes = 256L << 20;

    public static readonly IReadOnlyDictionary<string, Func<byte[]>> All = new Dictionary<string, Func<byte[]>>
    {
        ["jpeg-claims-65500x65500.jpg"] = () => TestImages.WithJpegSize(Jpeg(64, 64), 65500, 65500),
        ["jpeg-cut-in-half.jpg"] = () => Cut(Jpeg(256, 256), 0.5),
        ["jpeg-cut-in-header.jpg"] = () => Cut(Jpeg(256, 256), 0.05),
        ["jpeg-holding-a-png.jpg"] = () => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02, .. Png(64, 64)],
        ["jpeg-16mb-of-exif.jpg"] = () => WithJpegSegments(Jpeg(64, 64), 0xE1, [.. "Exif\0\0"u8, .. ExifOrientation(6), .. new byte[65000]], 256),
        ["jpeg-16mb-icc-chain.jpg"] = () => WithJpegSegments(Jpeg(64, 64), 0xE2, [.. "ICC_PROFILE\0"u8, 1, 255, .. new byte[65000]], 255),

        ["png-claims-100000x100000.png"] = () => PngClaiming(100_000, 100_000),
        ["png-cut-in-half.png"] = () => Cut(Png(256, 256), 0.5),
        ["png-holding-a-jpeg.png"] = () => BuildPng([PngChunks(Png(64, 64))[0], ("IDAT", Jpeg(64, 64)), ("IEND", [])]),
        ["png-ztxt-bombs-2x256mb.png"] = () => Bomb(deflated => WithPngChunks(Png(64, 64), ("zTXt", Ztxt(deflated)), ("zTXt", Ztxt(deflated)))),
        ["png-itxt-bomb-256mb.png"] = () => Bomb(deflated => WithPngChunks(Png(64, 64), ("iTXt", CompressedItxt(deflated)))),
        ["png-iccp-bomb-256mb.png"] = () => Bomb(deflated => WithPngChunks(Png(64, 64), ("iCCP", Iccp(deflated)))),
        ["png-64mb-exif.png"] = () => WithPngChunks(Png(64, 64), ("eXIf", [.. ExifOrientation(6), .. new byte[64 << 20]])),

        ["webp-canvas-16777216-squared.webp"] = () => AsExtendedWebp(Webp(64, 64), 1 << 24, 1 << 24),
        ["webp-canvas-smaller-than-its-image.webp"] = () => AsExtendedWebp(Webp(64, 64), 8, 8),
        ["webp-cut-in-half.webp"] = () => Cut(Webp(256, 256), 0.5),
        ["webp-holding-a-png.webp"] = () => [.. "RIFF"u8, 0, 1, 0, 0, .. "WEBPVP8 "u8, 0, 1, 0, 0, .. Png(64, 64)],
        ["webp-32mb-exif-and-icc.webp"] = () => AsExtendedWebp(Webp(64, 64), 64, 64, ("ICCP", new byte[32 << 20]), ("EXIF", [.. ExifOrientation(6), .. new byte[32 << 20]])),

        ["gif-screen-65535-squared.gif"] = () => WithGifScreen(Magick(MagickFormat.Gif, 64, 64), 65535, 65535),
        ["gif-frame-outside-its-screen.gif"] = () => WithGifFrame(Magick(MagickFormat.Gif, 64, 64), 60000, 60000, 64, 64),
        ["gif-frame-65535-squared-in-a-small-screen.gif"] = () => WithGifFrame(Magick(MagickFormat.Gif, 64, 64), 0, 0, 65535, 65535),
        ["gif-cut-in-half.gif"] = () => Cut(Magick(MagickFormat.Gif, 256, 256), 0.5),
        ["gif-16mb-comment.gif"] = () => WithGifComment(Magick(MagickFormat.Gif, 64, 64), 16 << 20),

        ["bmp-claims-100000x100000.bmp"] = () => WithBmpSize(Magick(MagickFormat.Bmp3, 64, 64), 100_000, 100_000),
        ["bmp-claims-100000x-100000-top-down.bmp"] = () => WithBmpSize(Magick(MagickFormat.Bmp3, 64, 64), 100_000, -100_000),
        ["bmp-cut-in-half.bmp"] = () => Cut(Magick(MagickFormat.Bmp3, 256, 256), 0.5),

        ["ico-png-claims-5000x5000-the-issue.ico"] = IssueIcon,
        ["ico-png-claims-100000x100000.ico"] = () => Icon(PngClaiming(100_000, 100_000), 0, 0),
        ["ico-png-larger-than-its-entry.ico"] = () => Icon(Png(300, 300), 16, 16),
        ["ico-png.ico"] = () => Icon(Png(64, 64), 64, 64),
        ["ico-png-cut-in-half.ico"] = () => Icon(Cut(Png(64, 64), 0.5), 64, 64),
        ["ico-png-ztxt-bomb-256mb.ico"] = () => Bomb(deflated => Icon(WithPngChunks(Png(64, 64), ("zTXt", Ztxt(deflated))), 64, 64)),
        ["ico-bmp.ico"] = () => Icon(Dib(16, 16), 16, 16),
        ["ico-bmp-claims-60000x60000.ico"] = () => Icon(Dib(60_000, 60_000), 16, 16),
        ["ico-holding-a-jpeg.ico"] = () => Icon(Jpeg(64, 64), 64, 64),
        ["ico-entry-beyond-the-file.ico"] = () => IconEntryBeyondTheFile(),
        ["cur-png-claims-5000x5000.cur"] = () => Icon(PngClaiming(5000, 5000), 16, 16, type: 2),
        ["cur-bmp-claims-60000x60000.cur"] = () => Icon(Dib(60_000, 60_000), 16, 16, type: 2),

        ["heic-claims-65535x65535.heic"] = () => WithIspe(PhonePhotos.Bytes(64, 64, "heic"), 65535, 65535),
        ["heic-cut-in-half.heic"] = () => Cut(PhonePhotos.Bytes(64, 64, "heic"), 0.5),
        ["avif-claims-65535x65535.avif"] = () => WithIspe(PhonePhotos.Bytes(64, 64, "avif"), 65535, 65535),
        ["avif-cut-in-half.avif"] = () => Cut(PhonePhotos.Bytes(64, 64, "avif"), 0.5),
        ["avif-32mb-xmp.avif"] = () => Magick(MagickFormat.Avif, 64, 64, image => image.SetProfile(new XmpProfile(BigXmp(32 << 20)))),

        ["tiff-claims-100000x100000.tif"] = () => WithTiffSize(Magick(MagickFormat.Tiff, 64, 64), 100_000, 100_000),
        ["tiff-cut-in-half.tif"] = () => Cut(Magick(MagickFormat.Tiff, 256, 256), 0.5),
        ["tiff-jpeg-inside-claims-65500x65500.tif"] = () => WithEmbeddedJpegSize(JpegTiff(), 8, 65500, 65500),
        ["tiff-jpeg-inside-cut.tif"] = () => Cut(JpegTiff(), 0.6),
        ["tiff-32mb-xmp.tif"] = () => Magick(MagickFormat.Tiff, 64, 64, image => image.SetProfile(new XmpProfile(BigXmp(32 << 20)))),
        ["tiff-deflate-strip-claims-100000x100000.tif"] = () => WithTiffSize(Magick(MagickFormat.Tiff, 64, 64, image => image.Settings.Compression = CompressionMethod.Zip), 100_000, 100_000),
    };

    /// <summary>A compressed bomb: <paramref name="build"/> given zlib data that inflates to 256 MB of zeros.</summary>
    private static byte[] Bomb(Func<byte[], byte[]> build) => build(QuarterGigabyteOfZeros.Value);

    private static readonly Lazy<byte[]> QuarterGigabyteOfZeros = new(() => ZerosDeflated(BombBytes));

    private static byte[] JpegTiff() => Magick(MagickFormat.Tiff, 128, 128, image => image.Settings.Compression = CompressionMethod.JPEG);

    private static byte[] IconEntryBeyondTheFile()
    {
        var icon = Icon(Png(64, 64), 64, 64);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(icon.AsSpan(18), int.MaxValue - 10);
        return icon;
    }

    private static byte[] BigXmp(int bytes) =>
        System.Text.Encoding.UTF8.GetBytes($"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><!--{new string('x', bytes)}--></x:xmpmeta>");
}
