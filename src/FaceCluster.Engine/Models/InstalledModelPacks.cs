using System.Text.Json;

namespace FaceCluster.Engine.Models;

/// <summary>
/// The packs a user installed: one folder per pack under <see cref="Root"/>, holding the pack's definition
/// (<see cref="DefinitionName"/>, one entry of packs.json's "packs") and its own files. Files a definition takes
/// "fromPack" are a built-in pack's. Installing and removing are atomic: a pack folder appears or goes by one rename.
/// </summary>
public sealed class InstalledModelPacks
{
    public const string DefinitionName = "pack.json";

    /// <summary>Environment variable that moves the per-user pack folder (tests, portable set-ups).</summary>
    public const string RootVariable = "FACECLUSTER_PACKS";

    public const string ReinstallAdvice = "reinstall the pack with Install-FaceModelPack -Force";

    private const string WorkPrefix = ".";

    private readonly ModelPackCatalog _builtIn;

    public InstalledModelPacks(string root, ModelPackCatalog builtIn)
    {
        Root = Path.GetFullPath(root);
        _builtIn = builtIn;
    }

    /// <summary>
    /// $FACECLUSTER_PACKS, else FaceCluster/packs in the user's local application data: $XDG_DATA_HOME (~/.local/share)
    /// on Linux, ~/Library/Application Support on macOS, %LOCALAPPDATA% on Windows.
    /// </summary>
    public static string DefaultRoot()
    {
        string? set = Environment.GetEnvironmentVariable(RootVariable);
        return string.IsNullOrWhiteSpace(set)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
                "FaceCluster", "packs")
            : set;
    }

    public string Root { get; }

    /// <summary>Every installed pack; a folder whose definition is unreadable or wrong goes to <paramref name="broken"/> instead.</summary>
    public IReadOnlyList<ModelPack> Packs(out IReadOnlyList<ModelPackDefinitionException> broken)
    {
        var packs = new List<ModelPack>();
        var problems = new List<ModelPackDefinitionException>();
        if (Directory.Exists(Root))
        {
            foreach (string folder in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(folder);
                if (name.StartsWith(WorkPrefix, StringComparison.Ordinal))
                {
                    continue; // an install or removal in progress, or one that was interrupted
                }

                try
                {
                    ModelPack pack = ReadDefinition(Path.Combine(folder, DefinitionName), folder);
                    if (!string.Equals(pack.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new ModelPackDefinitionException(Path.Combine(folder, DefinitionName), "name",
                            $"is '{pack.Name}' but the pack's folder is '{name}'; {ReinstallAdvice}");
                    }

                    packs.Add(pack);
                }
                catch (ModelPackDefinitionException e)
                {
                    problems.Add(e);
                }
            }
        }

        broken = problems;
        return packs;
    }

    /// <summary>The installed pack called <paramref name="name"/> (case-insensitive), or null.</summary>
    public ModelPack? Find(string name) =>
        Packs(out _).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads and checks a pack definition file, as it would be once installed (its own files in the pack's folder under <see cref="Root"/>).</summary>
    /// <exception cref="ModelPackDefinitionException">The file is missing, not JSON, or a field is missing or wrong.</exception>
    public ModelPack ReadDefinition(string file) => ReadDefinition(file, folder: null);

    /// <summary>
    /// Installs the pack <paramref name="definitionFile"/> defines from <paramref name="sources"/> (files, or folders
    /// whose files are taken): each of the definition's own files is the source file of the same name, or, when the
    /// definition has one and one file is given, that file. Each must have the definition's SHA-256.
    /// </summary>
    /// <exception cref="ModelPackDefinitionException">The definition is wrong.</exception>
    /// <exception cref="ModelPackInstallException">It cannot be installed; nothing was installed.</exception>
    public ModelPack Install(string definitionFile, IReadOnlyList<string> sources, bool licenseAccepted, bool force)
    {
        ModelPack pack = ReadDefinition(definitionFile);
        if (pack.LicenseAcceptanceRequired && !licenseAccepted)
        {
            throw new ModelPackInstallException(ModelPackInstallProblem.LicenseNotAccepted, pack.Name,
                $"Model pack '{pack.Name}' is licensed as follows and needs your acceptance (-AcceptLicense): {pack.License}");
        }

        string target = FolderOf(pack.Name) ?? Path.Combine(Root, pack.Name);
        if (Directory.Exists(target) && !force)
        {
            throw new ModelPackInstallException(ModelPackInstallProblem.AlreadyInstalled, pack.Name,
                $"Model pack '{pack.Name}' is installed already in '{target}'; -Force replaces it.");
        }

        var own = pack.Files.Where(f => f.FromPack is null).ToArray();
        var given = sources.SelectMany(s => Directory.Exists(s) ? Directory.EnumerateFiles(s) : [Path.GetFullPath(s)]).Distinct().ToArray();
        var chosen = own.Select(f => (File: f, Source: Choose(f, own.Length, given))).ToArray();

        Directory.CreateDirectory(Root);
        string work = Path.Combine(Root, $"{WorkPrefix}install-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            foreach (var (file, source) in chosen)
            {
                string copy = Path.Combine(work, file.Name);
                File.Copy(source, copy);
                string actual = ModelPack.Sha256Of(copy);
                if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ModelPackInstallException(ModelPackInstallProblem.HashMismatch, source,
                        $"File '{source}' is not the '{file.Name}' that model pack '{pack.Name}' defines (SHA-256 {actual}, expected " +
                        $"{file.Sha256}); nothing was installed.");
                }

                if (file.Role == ModelFileRole.Embedding)
                {
                    EmbeddingNetworkCheck.Check(pack, file, copy, Path.GetFullPath(definitionFile));
                }
            }

            File.Copy(definitionFile, Path.Combine(work, DefinitionName));
            Replace(target, work, Path.Combine(Root, pack.Name));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        string installed = Path.Combine(Root, pack.Name);
        return ReadDefinition(Path.Combine(installed, DefinitionName), installed);
    }

    /// <summary>Removes the installed pack called <paramref name="name"/>.</summary>
    /// <exception cref="ModelPackInstallException">No installed pack has that name.</exception>
    public void Uninstall(string name)
    {
        string? folder = FolderOf(name);
        if (folder is null || name.StartsWith(WorkPrefix, StringComparison.Ordinal))
        {
            throw new ModelPackInstallException(ModelPackInstallProblem.NotInstalled, name,
                $"No installed model pack is called '{name}' (in '{Root}').");
        }

        string gone = Path.Combine(Root, $"{WorkPrefix}remove-{Guid.NewGuid():N}");
        Directory.Move(folder, gone);
        Directory.Delete(gone, recursive: true);
    }

    /// <summary>The pack folder whose name is <paramref name="name"/> but for case, or null.</summary>
    private string? FolderOf(string name) => Directory.Exists(Root)
        ? Directory.EnumerateDirectories(Root).FirstOrDefault(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase))
        : null;

    private ModelPack ReadDefinition(string file, string? folder)
    {
        string path = Path.GetFullPath(file);
        var reader = new ModelPackReader(path, owner =>
            _builtIn.Packs.FirstOrDefault(p => string.Equals(p.Name, owner, StringComparison.OrdinalIgnoreCase))?.Directory);
        ModelPack pack;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var doc = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            string name = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("name", out var n)
                && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            pack = reader.Read(doc.RootElement, folder ?? Path.Combine(Root, name), ModelPackSource.Installed, ReinstallAdvice);
        }
        catch (JsonException e)
        {
            throw new ModelPackDefinitionException(path, "", $"is not valid JSON ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelPackDefinitionException(path, "", $"cannot be read ({e.Message})", e);
        }

        if (_builtIn.Packs.Any(p => string.Equals(p.Name, pack.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ModelPackDefinitionException(path, "name", $"is '{pack.Name}', a built-in pack's name, which an installed pack cannot take");
        }

        return pack;
    }

    private static string Choose(ModelFile file, int ownFiles, string[] given)
    {
        var named = given.Where(g => string.Equals(Path.GetFileName(g), file.Name, StringComparison.OrdinalIgnoreCase)).ToArray();
        string? source = named.Length == 1 ? named[0] : ownFiles == 1 && given.Length == 1 ? given[0] : null;
        if (source is null || !File.Exists(source))
        {
            throw new ModelPackInstallException(ModelPackInstallProblem.FileNotGiven, file.Name,
                $"No file given for '{file.Name}' ({file.Role.ToString().ToLowerInvariant()}): pass it, or the folder that holds it, to -Path; nothing was installed.");
        }

        return source;
    }

    /// <summary>Moves <paramref name="work"/> to <paramref name="target"/> by renames, removing <paramref name="existing"/> if it is there.</summary>
    private void Replace(string existing, string work, string target)
    {
        string? old = null;
        if (Directory.Exists(existing))
        {
            old = Path.Combine(Root, $"{WorkPrefix}remove-{Guid.NewGuid():N}");
            Directory.Move(existing, old);
        }

        Directory.Move(work, target);
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }
    }
}
