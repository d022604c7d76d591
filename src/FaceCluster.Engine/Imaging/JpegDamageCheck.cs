using BitMiracle.LibJpeg.Classic;

namespace FaceCluster.Engine.Imaging;

/// <summary>
/// Finds damage in a JPEG's compressed data that SkiaSharp hides: its libjpeg-turbo meets a bad Huffman code, a stray
/// marker or missing data with a warning, fills in the rest and reports success. LibJpeg.NET (the same IJG decoder, in
/// C#) reports those warnings, so the data is decoded once more with it, stopping at the first warning that means damage.
/// It decodes grey at 1/8 scale: every plane is still entropy-decoded, which is what finds the damage, but only the
/// DC of the luma plane is transformed (about 5 ms for a 1920x1280 photo against about 45 ms at full size). CMYK and
/// YCCK JPEGs are decoded at full size: LibJpeg.NET lacks some reduced-size transforms (2x1) that colour needs.
/// </summary>
internal static class JpegDamageCheck
{
    /// <summary>libjpeg's description of the first damage in <paramref name="jpeg"/>, or null when it decodes cleanly.</summary>
    /// <remarks>A fatal error is not reported here: SkiaSharp's own decode fails on it and says why.</remarks>
    public static string? FindDamage(byte[] jpeg) => TryCheck(jpeg, out string? damage) ? damage : null;

    /// <summary>
    /// False when LibJpeg.NET stopped with a fatal error (damaged headers, or a feature it lacks) and so could not tell;
    /// else true, with <paramref name="damage"/> set to the first damage found or null.
    /// </summary>
    internal static bool TryCheck(byte[] jpeg, out string? damage)
    {
        damage = null;
        var decoder = new jpeg_decompress_struct(new StopAtDamage());
        try
        {
            decoder.jpeg_stdio_src(new MemoryStream(jpeg, writable: false));
            decoder.jpeg_read_header(true);
            decoder.Dct_method = J_DCT_METHOD.JDCT_IFAST;
            decoder.Do_fancy_upsampling = false;
            if (decoder.Jpeg_color_space is J_COLOR_SPACE.JCS_YCbCr or J_COLOR_SPACE.JCS_GRAYSCALE)
            {
                decoder.Out_color_space = J_COLOR_SPACE.JCS_GRAYSCALE;
                decoder.Scale_num = 1;
                decoder.Scale_denom = 8;
            }

            decoder.jpeg_start_decompress();
            var rows = new byte[Math.Max(1, decoder.Rec_outbuf_height)][];
            for (int i = 0; i < rows.Length; i++)
            {
                rows[i] = new byte[decoder.Output_width * decoder.Output_components];
            }

            while (decoder.Output_scanline < decoder.Output_height)
            {
                decoder.jpeg_read_scanlines(rows, rows.Length);
            }

            decoder.jpeg_finish_decompress(); // reads on to the end marker
            return true;
        }
        catch (DamageFound e)
        {
            damage = e.Message;
            return true;
        }
        catch (Exception)
        {
            return false;
        }
        finally
        {
            decoder.jpeg_destroy();
        }
    }

    private sealed class StopAtDamage : jpeg_error_mgr
    {
        // libjpeg's warnings that mean the image data is corrupt. The others do not: an unknown JFIF revision or Adobe
        // transform, and "extraneous bytes before marker", which many cameras and editors write after complete image
        // data (a photo that decodes whole must not be reported as damaged).
        private static readonly J_MESSAGE_CODE[] DamageCodes =
        [
            J_MESSAGE_CODE.JWRN_ARITH_BAD_CODE, J_MESSAGE_CODE.JWRN_BOGUS_PROGRESSION,
            J_MESSAGE_CODE.JWRN_HIT_MARKER, J_MESSAGE_CODE.JWRN_HUFF_BAD_CODE, J_MESSAGE_CODE.JWRN_JPEG_EOF,
            J_MESSAGE_CODE.JWRN_MUST_RESYNC, J_MESSAGE_CODE.JWRN_NOT_SEQUENTIAL, J_MESSAGE_CODE.JWRN_TOO_MUCH_DATA,
        ];

        private readonly string[] _damagePrefixes;

        public StopAtDamage() => _damagePrefixes = DamageCodes.Select(code => FixedPrefix(GetMessageText((int)code))).ToArray();

        public override void emit_message(int msg_level)
        {
            if (msg_level < 0)
            {
                string message = format_message();
                if (_damagePrefixes.Any(prefix => message.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    throw new DamageFound(message);
                }
            }
        }

        public override void output_message()
        {
        }

        /// <summary>The text of a message template before its first parameter (LibJpeg.NET's templates use .NET's
        /// {0} placeholders; libjpeg's C ones, %d).</summary>
        private static string FixedPrefix(string template)
        {
            int parameter = template.IndexOfAny(['{', '%']);
            return parameter < 0 ? template : template[..parameter];
        }
    }

    private sealed class DamageFound(string message) : Exception(message);
}
