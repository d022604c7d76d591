using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaceCluster.Engine.Alignment;
using FaceCluster.Engine.Clustering;
using FaceCluster.Model;

namespace FaceCluster.Engine.Models;

/// <summary>
/// Reads one model pack definition (an entry of packs.json's "packs", or a user's pack definition file) and checks every
/// field, naming the first wrong one in a <see cref="ModelPackDefinitionException"/>.
/// </summary>
public sealed partial class ModelPackReader
{
    /// <summary>Name of the named alignment that is the ArcFace 112x112 template with averaged eye centres (faceplugin's).</summary>
    public const string ArcFaceTemplate = "arcface";

    private readonly string _file;
    private readonly Func<string, string?> _packDirectory;

    /// <param name="file">The definition's file, for messages.</param>
    /// <param name="packDirectory">The folder of a pack that "fromPack" names; null for a pack that cannot be named.</param>
    public ModelPackReader(string file, Func<string, string?> packDirectory)
    {
        _file = file;
        _packDirectory = packDirectory;
    }

    /// <summary>Whether <paramref name="name"/> can name a pack (and its folder): a letter or digit, then letters, digits, '.', '_', '-'.</summary>
    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    /// <summary>The pack <paramref name="p"/> defines, whose own files are in <paramref name="directory"/>.</summary>
    public ModelPack Read(JsonElement p, string directory, ModelPackSource source, string restoreAdvice)
    {
        Expect(p, "", JsonValueKind.Object, "must be a JSON object (one entry of packs.json's \"packs\")");
        string name = RequiredString(p, "name");
        if (!IsValidName(name))
        {
            throw Invalid("name", "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'");
        }

        var files = Array(p, "files").Select((f, i) => ReadFile(f, $"files[{i}]", directory)).ToArray();
        DetectorKind detector = Optional(p, "detector") is { } d ? Enum<DetectorKind>(d, "detector") : DetectorKind.UltraLight;
        foreach (var role in System.Enum.GetValues<ModelFileRole>())
        {
            if (!files.Any(f => f.Role == role && (role != ModelFileRole.Detector || f.Detector == detector)))
            {
                throw Invalid("files", $"lists no {role.ToString().ToLowerInvariant()} file" +
                    (role == ModelFileRole.Detector ? $" of kind {detector}" : ""));
            }
        }

        return new ModelPack
        {
            Name = name,
            Description = Optional(p, "description") is { } description ? String(description, "description") : "",
            License = Optional(p, "license") is { } license ? String(license, "license") : "",
            LicenseAcceptanceRequired = Optional(p, "licenseAcceptanceRequired") is { } accept && Bool(accept, "licenseAcceptanceRequired"),
            Metric = Enum<DistanceMetric>(Required(p, "metric"), "metric"),
            Epsilon = Positive(p, "epsilon"),
            MinSamples = Integer(p, "minSamples", 1),
            Algorithm = Enum<ClusteringAlgorithm>(Required(p, "algorithm"), "algorithm"),
            LinkageThreshold = Positive(p, "linkageThreshold"),
            LibraryThreshold = Optional(p, "libraryThreshold") is { } rule ? ReadLibraryThresholdRule(rule, "libraryThreshold") : null,
            EmbeddingSize = Integer(p, "embeddingSize", 1),
            Directory = directory,
            Files = files,
            Detector = detector,
            ChipTemplate = Optional(p, "alignment") is { } alignment ? ReadChipTemplate(alignment, "alignment") : null,
            Input = Optional(p, "input") is { } input ? ReadEmbeddingInput(input, "input") : EmbeddingInput.ArcFace,
            Source = source,
            RestoreAdvice = restoreAdvice,
        };
    }

    private ModelFile ReadFile(JsonElement f, string at, string directory)
    {
        Expect(f, at, JsonValueKind.Object, "must be a JSON object");
        string name = RequiredString(f, "name", at);
        if (name != Path.GetFileName(name) || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw Invalid($"{at}.name", "must be a plain file name (no folder)");
        }

        var role = Enum<ModelFileRole>(Required(f, "role", at), $"{at}.role");
        string sha256 = RequiredString(f, "sha256", at);
        if (!Sha256().IsMatch(sha256))
        {
            throw Invalid($"{at}.sha256", "must be 64 hexadecimal digits (the file's SHA-256)");
        }

        string? owner = Optional(f, "fromPack") is { } o ? String(o, $"{at}.fromPack") : null;
        string fileDirectory = directory;
        if (owner is not null)
        {
            fileDirectory = _packDirectory(owner) ?? throw Invalid($"{at}.fromPack", $"names '{owner}', which is not a built-in pack");
        }

        DetectorKind kind = Optional(f, "detector") is { } d ? Enum<DetectorKind>(d, $"{at}.detector") : DetectorKind.UltraLight;
        return new ModelFile(role, name, Path.Combine(fileDirectory, name), sha256.ToLowerInvariant(), kind, owner);
    }

    private FaceChipTemplate? ReadChipTemplate(JsonElement a, string at)
    {
        Expect(a, at, JsonValueKind.Object, "must be a JSON object");
        JsonElement template = Required(a, "template", at);
        if (template.ValueKind == JsonValueKind.String)
        {
            // A named template: the only one is the ArcFace 112x112 template, which the pack's chip then is.
            if (!string.Equals(template.GetString(), ArcFaceTemplate, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid($"{at}.template", $"must be \"{ArcFaceTemplate}\" or a list of five [x, y] points");
            }

            if (Optional(a, "chipSize") is { } size && (size.ValueKind != JsonValueKind.Number || size.GetDouble() != FaceAligner.Size))
            {
                throw Invalid($"{at}.chipSize", $"must be {FaceAligner.Size} (or absent) with the \"{ArcFaceTemplate}\" template");
            }

            return null;
        }

        Expect(template, $"{at}.template", JsonValueKind.Array, $"must be \"{ArcFaceTemplate}\" or a list of five [x, y] points");
        var points = template.EnumerateArray().Select((t, i) =>
        {
            if (t.ValueKind != JsonValueKind.Array || t.GetArrayLength() != 2 || t.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            {
                throw Invalid($"{at}.template[{i}]", "must be a point [x, y] in the unit face square");
            }

            return new FacePoint(t[0].GetSingle(), t[1].GetSingle());
        }).ToArray();
        var indices = Array(a, "landmarks68", at).Select((v, i) =>
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int index) || index is < 0 or > 67)
            {
                throw Invalid($"{at}.landmarks68[{i}]", "must be an index of the 68-point iBUG set (0 to 67)");
            }

            return index;
        }).ToArray();
        if (points.Length < 2 || points.Length != indices.Length)
        {
            throw Invalid($"{at}.landmarks68", $"must list one 68-point index per template point ({points.Length})");
        }

        double padding = Optional(a, "padding") is { } pad ? Number(pad, $"{at}.padding") : 0;
        if (padding < 0)
        {
            throw Invalid($"{at}.padding", "must be 0 or more");
        }

        return new FaceChipTemplate(Integer(a, "chipSize", 16, at), padding, points, indices);
    }

    private LibraryThresholdRule ReadLibraryThresholdRule(JsonElement r, string at)
    {
        Expect(r, at, JsonValueKind.Object, "must be a JSON object");
        JsonElement different = Required(r, "differentPeople", at);
        string differentAt = $"{at}.differentPeople";
        Expect(different, differentAt, JsonValueKind.Object, "must be a JSON object");
        double[] shares = Array(different, "shareAtOrBelow", differentAt).Select((v, i) => Number(v, $"{differentAt}.shareAtOrBelow[{i}]")).ToArray();
        if (shares.Length == 0 || shares.Zip(shares.Skip(1)).Any(p => p.Second < p.First) || shares.Any(s => s is < 0 or > 1))
        {
            throw Invalid($"{differentAt}.shareAtOrBelow", "must be a non-empty, non-decreasing list of shares between 0 and 1");
        }

        double falsePairShare = Positive(r, "falsePairShare", at);
        if (falsePairShare > 1)
        {
            throw Invalid($"{at}.falsePairShare", "must be a share between 0 and 1");
        }

        return new LibraryThresholdRule
        {
            MaxThreshold = Positive(r, "maxThreshold", at),
            FalsePairShare = falsePairShare,
            DistanceFrom = Number(Required(different, "from", differentAt), $"{differentAt}.from"),
            DistanceStep = Positive(different, "step", differentAt),
            DifferentPeopleShareAtOrBelow = shares,
        };
    }

    private EmbeddingInput ReadEmbeddingInput(JsonElement i, string at)
    {
        Expect(i, at, JsonValueKind.Object, "must be a JSON object");
        bool bgr = Optional(i, "channelOrder") is { } order && String(order, $"{at}.channelOrder").ToUpperInvariant() switch
        {
            "RGB" => false,
            "BGR" => true,
            _ => throw Invalid($"{at}.channelOrder", "must be \"RGB\" or \"BGR\""),
        };
        float[] mean = Channels(i, "mean", at) ?? [.. EmbeddingInput.ArcFace.MeanRgb];
        float[]? std = Channels(i, "std", at);
        if (Optional(i, "divisor") is { } divisor)
        {
            if (std is not null)
            {
                throw Invalid($"{at}.divisor", "and 'std' cannot both be given ('divisor' is one std for every channel)");
            }

            float value = (float)Number(divisor, $"{at}.divisor");
            std = [value, value, value];
        }

        std ??= [.. EmbeddingInput.ArcFace.StdRgb];
        if (std.Any(s => !(s > 0)))
        {
            throw Invalid($"{at}.std", "must be above 0 for every channel");
        }

        bool normalize = Optional(i, "normalizeOutput") is not { } n || Bool(n, $"{at}.normalizeOutput");
        return new EmbeddingInput(bgr, mean, std, normalize);
    }

    /// <summary>A list of three numbers, one per channel in R, G, B order; null when absent.</summary>
    private float[]? Channels(JsonElement parent, string name, string at)
    {
        if (Optional(parent, name) is not { } list)
        {
            return null;
        }

        string field = $"{at}.{name}";
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() != 3)
        {
            throw Invalid(field, "must be a list of three numbers (R, G, B)");
        }

        return list.EnumerateArray().Select((v, k) => (float)Number(v, $"{field}[{k}]")).ToArray();
    }

    private ModelPackDefinitionException Invalid(string field, string problem) => new(_file, field, problem);

    private static string Join(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";

    private void Expect(JsonElement e, string field, JsonValueKind kind, string problem)
    {
        if (e.ValueKind != kind)
        {
            throw Invalid(field, problem);
        }
    }

    private static JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private JsonElement Required(JsonElement parent, string name, string at = "") =>
        Optional(parent, name) ?? throw Invalid(Join(at, name), "is missing");

    private string RequiredString(JsonElement parent, string name, string at = "") => String(Required(parent, name, at), Join(at, name));

    private string String(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
        {
            throw Invalid(field, "must be a non-empty string");
        }

        return e.GetString()!;
    }

    private bool Bool(JsonElement e, string field) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(field, "must be true or false"),
    };

    private double Number(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double value) && double.IsFinite(value)
            ? value
            : throw Invalid(field, "must be a number");

    private double Positive(JsonElement parent, string name, string at = "")
    {
        double value = Number(Required(parent, name, at), Join(at, name));
        return value > 0 ? value : throw Invalid(Join(at, name), "must be above 0");
    }

    private int Integer(JsonElement parent, string name, int min, string at = "")
    {
        JsonElement e = Required(parent, name, at);
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int value) && value >= min
            ? value
            : throw Invalid(Join(at, name), $"must be a whole number of at least {min.ToString(CultureInfo.InvariantCulture)}");
    }

    private IEnumerable<JsonElement> Array(JsonElement parent, string name, string at = "")
    {
        JsonElement e = Required(parent, name, at);
        Expect(e, Join(at, name), JsonValueKind.Array, "must be a list");
        return e.EnumerateArray().ToArray();
    }

    private T Enum<T>(JsonElement e, string field) where T : struct, Enum =>
        e.ValueKind == JsonValueKind.String && System.Enum.TryParse(e.GetString(), ignoreCase: true, out T value) && System.Enum.IsDefined(value)
            ? value
            : throw Invalid(field, $"must be one of {string.Join(", ", System.Enum.GetNames<T>())}");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ValidName();

    [GeneratedRegex("^[0-9A-Fa-f]{64}$")]
    private static partial Regex Sha256();
}
