using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using FaceCluster.Engine.Export;
using FaceCluster.Engine.People;

namespace FaceCluster.Engine.Review;

/// <summary>
/// The file of changes the review page gives to download (<c>review/review.js</c> writes it): the export it was made
/// on (<see cref="Export"/>, the SHA-256 of that export's faces.json), the edits in the order they were made, and a
/// seal, the SHA-256 of the file's bytes before <c>,"seal":</c>, which finds a file changed or cut short since.
/// Import-FaceClusterCorrection applies it whole (<see cref="ApplyTo"/>) or not at all. One line of camelCase JSON:
/// <code>{"tool":"FaceCluster","kind":"reviewEdits","schemaVersion":1,"export":"…","folder":"…","edits":[{"action":"merge","id":2,"into":1}],"seal":"…"}</code>
/// </summary>
public sealed record ReviewEdits
{
    public const string Kind = "reviewEdits";
    public const int CurrentSchemaVersion = 1;
    private const string SealMember = ",\"seal\":\"";

    public required string Tool { get; init; }

    [JsonPropertyName("kind")]
    public required string FileKind { get; init; }

    public required int SchemaVersion { get; init; }

    /// <summary>The SHA-256 (hex) of the faces.json of the export whose page made the file (<see cref="ExportKey"/>).</summary>
    public required string Export { get; init; }

    /// <summary>The export folder as the page named it (for the reader; <see cref="Export"/> decides).</summary>
    public string? Folder { get; init; }

    public required IReadOnlyList<ReviewEdit> Edits { get; init; }

    public required string Seal { get; init; }

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>The key that names an export's faces.json: the SHA-256 (hex) of its bytes.</summary>
    public static string ExportKey(ReadOnlySpan<byte> manifestBytes) => Convert.ToHexString(SHA256.HashData(manifestBytes)).ToLowerInvariant();

    /// <summary>Reads an edits file: its JSON, its kind and schema, its seal, and what each edit needs.</summary>
    /// <param name="bytes">The file's bytes (UTF-8).</param>
    /// <param name="source">The file, as messages name it.</param>
    /// <exception cref="ReviewEditsRejectedException">Malformed or tampered.</exception>
    public static ReviewEdits Read(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ReadOnlySpan<byte> text = bytes.AsSpan().StartsWith(System.Text.Encoding.UTF8.Preamble) ? bytes.AsSpan(System.Text.Encoding.UTF8.Preamble.Length) : bytes;
        const string Remedy = "Make the changes again on the review page and download them again.";
        ReviewEdits? edits;
        try
        {
            edits = JsonSerializer.Deserialize<ReviewEdits>(text, SerializerOptions);
        }
        catch (JsonException e)
        {
            throw Malformed($"'{source}' is not a FaceCluster edits file the review page wrote: {e.Message} {Remedy}", e);
        }

        if (edits is null || edits.Tool != FaceManifest.ToolName || edits.FileKind != Kind)
        {
            throw Malformed($"'{source}' is not a FaceCluster edits file (its \"tool\" is not \"{FaceManifest.ToolName}\" or its \"kind\" not \"{Kind}\"). {Remedy}");
        }

        if (edits.SchemaVersion is < 1 or > CurrentSchemaVersion)
        {
            throw Malformed(FormattableString.Invariant($"'{source}' has schema version {edits.SchemaVersion}; this version reads 1 to {CurrentSchemaVersion}. Update FaceCluster, then run the command again."));
        }

        int at = text.LastIndexOf(System.Text.Encoding.UTF8.GetBytes(SealMember));
        if (at < 0 || !string.Equals(ExportKey(text[..at]), edits.Seal, StringComparison.OrdinalIgnoreCase))
        {
            throw new ReviewEditsRejectedException(ReviewEditsProblem.Tampered,
                $"'{source}' was changed since the review page wrote it (its seal does not match its content): it may be cut short or edited by hand. Nothing is applied. {Remedy} To make corrections by hand, use the correction cmdlets (Get-Help about_FaceCluster).");
        }

        for (int i = 0; i < edits.Edits.Count; i++)
        {
            if (Lacks(edits.Edits[i]) is string lacks)
            {
                throw Malformed(FormattableString.Invariant($"'{source}': edit {i + 1} ({edits.Edits[i].Action}) {lacks}. {Remedy}"));
            }
        }

        return edits;
    }

    /// <summary>
    /// Makes every edit, in order, in <paramref name="book"/> (not saved: the caller saves once all are made, so a
    /// file is applied whole or not at all). Returns the corrections.json entries they made that are there at the end
    /// (a later edit of the same face replaces an earlier one).
    /// </summary>
    /// <exception cref="ReviewEditsRejectedException">The file was made on another export (<see cref="ReviewEditsProblem.WrongExport"/>).</exception>
    /// <exception cref="PersonNotFoundException">An edit names a person the export does not hold.</exception>
    /// <exception cref="FaceNotFoundException">An edit names a face the export (or the person) does not hold.</exception>
    /// <exception cref="ArgumentException">An edit cannot be made (a person merged into itself, a name that leaves no folder name).</exception>
    public IReadOnlyList<object> ApplyTo(CorrectionBook book, string source)
    {
        ArgumentNullException.ThrowIfNull(book);
        string key = ExportKey(File.ReadAllBytes(Path.Combine(book.Folder, FaceManifest.FileName)));
        if (!string.Equals(key, Export, StringComparison.OrdinalIgnoreCase))
        {
            throw new ReviewEditsRejectedException(ReviewEditsProblem.WrongExport,
                $"'{source}' was made on the review page of another export{(Folder is null ? "" : $" ('{Folder}')")}, or of '{book.Folder}' before it was exported again: its people and faces may differ. Nothing is applied. Open index.html in '{book.Folder}', make the changes there and download them again.");
        }

        var made = new List<object>();
        for (int i = 0; i < Edits.Count; i++)
        {
            ReviewEdit edit = Edits[i];
            try
            {
                made.AddRange(Apply(book, edit));
            }
            catch (Exception e) when (e is PersonNotFoundException or FaceNotFoundException or ArgumentException)
            {
                string message = FormattableString.Invariant($"'{source}', edit {i + 1} of {Edits.Count} ({edit}): {e.Message} Nothing is applied.");
                throw e switch
                {
                    PersonNotFoundException => new PersonNotFoundException(message),
                    FaceNotFoundException => new FaceNotFoundException(message),
                    _ => new ArgumentException(message, e),
                };
            }
        }

        return made.Where(entry => book.Corrections.Without(entry) is not null).Distinct().ToArray();
    }

    private static IEnumerable<object> Apply(CorrectionBook book, ReviewEdit edit)
    {
        IReadOnlyList<ReviewEditFace> faces = edit.Faces ?? [];
        switch (edit.Action)
        {
            case ReviewEditAction.Name:
                return [book.Rename(edit.Id!.Value, edit.Name!)];
            case ReviewEditAction.Merge:
                return [book.Merge(edit.Id!.Value, edit.Into!.Value)];
            case ReviewEditAction.Move:
                return faces.SelectMany(f => book.Move(f.Photo, f.FaceIndex, edit.Into!.Value)).ToArray();
            case ReviewEditAction.NewPerson:
                int into = book.NewPersonId;
                return faces.SelectMany(f => book.Move(f.Photo, f.FaceIndex, into, newPerson: true)).ToArray();
            case ReviewEditAction.Hide:
                return faces.SelectMany(f => book.Hide(f.Photo, f.FaceIndex)).ToArray();
            case ReviewEditAction.Remove:
                return faces.SelectMany(f => book.Remove(edit.Id!.Value, f.Photo, f.FaceIndex)).ToArray();
            default:
                return book.Split(edit.Id!.Value, faces.Select(f => f.Photo).Distinct(StringComparer.Ordinal));
        }
    }

    /// <summary>What <paramref name="edit"/> lacks for its action, in words; null when nothing.</summary>
    private static string? Lacks(ReviewEdit edit)
    {
        bool needsId = edit.Action is ReviewEditAction.Name or ReviewEditAction.Merge or ReviewEditAction.Remove or ReviewEditAction.Split;
        bool needsInto = edit.Action is ReviewEditAction.Merge or ReviewEditAction.Move;
        bool needsFaces = edit.Action is not (ReviewEditAction.Name or ReviewEditAction.Merge);
        if (needsId && edit.Id is not >= 0)
            return "needs an \"id\" of 0 or more";
        if (needsInto && edit.Into is not >= 0)
            return "needs an \"into\" of 0 or more";
        if (edit.Action == ReviewEditAction.Name && string.IsNullOrWhiteSpace(edit.Name))
            return "needs a \"name\"";
        if (needsFaces && (edit.Faces is not { Count: > 0 } faces || faces.Any(f => f is null || string.IsNullOrWhiteSpace(f.Photo) || !Path.IsPathRooted(f.Photo) || f.FaceIndex < 0)))
            return "needs \"faces\", each with the photo's full \"photo\" path and a \"faceIndex\" of 0 or more";
        return null;
    }

    private static ReviewEditsRejectedException Malformed(string message, Exception? inner = null) =>
        new(ReviewEditsProblem.Malformed, message, inner);
}
