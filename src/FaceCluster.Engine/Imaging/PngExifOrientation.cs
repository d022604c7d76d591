using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Png;
using SkiaSharp;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// The EXIF orientation of a PNG, from its eXIf chunk. SkiaSharp reads orientation from JPEG and WebP only
/// (<see cref="SKCodec.EncodedOrigin"/> is always top-left for PNG), so MetadataExtractor reads the chunk.
/// </summary>
internal static class PngExifOrientation
{
    /// <summary>The orientation in <paramref name="png"/>'s eXIf chunk; top-left when there is none or it is unreadable.</summary>
    public static SKEncodedOrigin Read(byte[] png)
    {
        try
        {
            var ifd0 = PngMetadataReader.ReadMetadata(new MemoryStream(png, writable: false)).OfType<ExifIfd0Directory>().FirstOrDefault();
            return ifd0 is not null && ifd0.TryGetUInt16(ExifDirectoryBase.TagOrientation, out ushort orientation) && orientation is >= 1 and <= 8
                ? (SKEncodedOrigin)orientation
                : SKEncodedOrigin.TopLeft;
        }
        catch (Exception e) when (e is ImageProcessingException or IOException)
        {
            // Metadata is not worth refusing a photo over: Skia decodes the pixels or says why not.
            return SKEncodedOrigin.TopLeft;
        }
    }
}
