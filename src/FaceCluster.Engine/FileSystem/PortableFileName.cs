using System.Globalization;

namespace FaceCluster.Engine.FileSystem;

/// <summary>
/// File and folder names that Windows (NTFS), macOS (APFS, HFS+) and Linux (ext4) all accept: no character any of them
/// forbids, no Windows device name, no trailing dot or space, in NFC, and within the stricter of each file system's
/// limits: 255 bytes of UTF-8 (ext4, APFS) and 255 UTF-16 units (NTFS). Names are cut only between whole characters
/// (extended grapheme clusters), so a surrogate pair, a combining sequence or an emoji ZWJ sequence is never split.
/// Hand-written: .NET's <see cref="Path.GetInvalidFileNameChars"/> gives only the running platform's rules.
/// </summary>
public static class PortableFileName
{
    /// <summary>Most UTF-8 bytes in a name (ext4, APFS).</summary>
    public const int MaxBytes = 255;

    /// <summary>Most UTF-16 units in a name (NTFS).</summary>
    public const int MaxUnits = 255;

    /// <summary>Characters Windows forbids in a name (besides control characters); ':' is also macOS's.</summary>
    public const string ForbiddenCharacters = "<>:\"/\\|?*";

    private static readonly HashSet<string> DeviceNames = new(
        ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³",
            .. Enumerable.Range(0, 10).SelectMany(i => new[] { $"COM{i}", $"LPT{i}" })],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Names compared as the strictest file system does: ignoring case and Unicode normalisation.</summary>
    public static IEqualityComparer<string> Comparer { get; } = new PortableNameComparer();

    /// <summary>
    /// <paramref name="name"/> in NFC with every character some file system forbids (<see cref="ForbiddenCharacters"/>,
    /// control characters, a lone surrogate, which has no UTF-8 form) made <c>_</c>. Nothing else changes.
    /// </summary>
    public static string Clean(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new System.Text.StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                builder.Append(c).Append(name[++i]);
            }
            else
            {
                builder.Append(char.IsControl(c) || char.IsSurrogate(c) || ForbiddenCharacters.Contains(c) ? '_' : c);
            }
        }

        return builder.ToString().Normalize(System.Text.NormalizationForm.FormC);
    }

    /// <summary>
    /// <paramref name="name"/> with a <c>_</c> after a Windows device name (CON, NUL, COM1, LPT¹, …) that forms its
    /// part before the first dot, as Windows reads it (<c>nul.tar.gz</c> → <c>nul_.tar.gz</c>); other names unchanged.
    /// </summary>
    public static string AvoidDeviceName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string stem = name.Split('.')[0].TrimEnd(' ');
        return DeviceNames.Contains(stem) ? stem + "_" + name[stem.Length..] : name;
    }

    /// <summary>
    /// <paramref name="stem"/> followed by <paramref name="tail"/> (e.g. <c>" (2).jpg"</c>), the stem cut after its last
    /// whole character that lets the name fit <see cref="MaxBytes"/> and <paramref name="maxUnits"/>; a stem that was
    /// cut loses its trailing dots and spaces. A single character too long to fit is cut between code points instead.
    /// </summary>
    public static string Fit(string stem, string tail = "", int maxUnits = MaxUnits)
    {
        ArgumentNullException.ThrowIfNull(stem);
        ArgumentNullException.ThrowIfNull(tail);
        int bytes = MaxBytes - System.Text.Encoding.UTF8.GetByteCount(tail);
        int units = Math.Min(maxUnits, MaxUnits) - tail.Length;
        if (System.Text.Encoding.UTF8.GetByteCount(stem) <= bytes && stem.Length <= units)
        {
            return stem + tail;
        }

        int end = 0;
        while (end < stem.Length)
        {
            int next = end + StringInfo.GetNextTextElementLength(stem, end);
            if (!Within(stem, next, bytes, units))
            {
                if (end == 0)
                {
                    end = CutBetweenCodePoints(stem, bytes, units);
                }

                break;
            }

            end = next;
        }

        return stem[..end].TrimEnd('.', ' ') + tail;
    }

    /// <summary>Whether <paramref name="name"/> is a name <see cref="Clean"/>, <see cref="AvoidDeviceName"/> and
    /// <see cref="Fit"/> leave as it is, without a trailing dot or space, and neither empty nor <c>.</c> or <c>..</c>.</summary>
    public static bool IsValid(string name) =>
        !string.IsNullOrEmpty(name) && name is not ("." or "..") && !name.EndsWith('.') && !name.EndsWith(' ')
        && Clean(name) == name && AvoidDeviceName(name) == name && Fits(name);

    /// <summary>Whether <paramref name="name"/> is within both limits.</summary>
    public static bool Fits(string name) => name.Length <= MaxUnits && System.Text.Encoding.UTF8.GetByteCount(name) <= MaxBytes;

    /// <summary><paramref name="name"/> as <see cref="Comparer"/> sees it: NFC (a lone surrogate left as it is).</summary>
    internal static string Normalized(string name)
    {
        try
        {
            return name.Normalize(System.Text.NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return name; // a lone surrogate: no normal form
        }
    }

    private static bool Within(string stem, int end, int bytes, int units) =>
        end <= units && System.Text.Encoding.UTF8.GetByteCount(stem.AsSpan(0, end)) <= bytes;

    private static int CutBetweenCodePoints(string stem, int bytes, int units)
    {
        int end = 0;
        while (end < stem.Length)
        {
            int next = end + (char.IsSurrogatePair(stem, end) ? 2 : 1);
            if (!Within(stem, next, bytes, units))
            {
                break;
            }

            end = next;
        }

        return end;
    }
}
