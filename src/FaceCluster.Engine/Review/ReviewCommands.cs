using System.Globalization;

namespace FaceCluster.Engine.Review;

/// <summary>
/// The PowerShell commands the review page offers for each correction, ready to copy: every value a literal, every
/// path single-quoted (<see cref="PowerShellLiteral"/>), so a pasted command runs as shown whatever the paths hold.
/// </summary>
public sealed class ReviewCommands(string exportFolder)
{
    /// <summary>The name the rename command carries until the user types the real one.</summary>
    public const string NamePlaceholder = "Type the name";

    private readonly string _folder = PowerShellLiteral.Quote(exportFolder);

    public string Rename(int id) =>
        string.Create(CultureInfo.InvariantCulture, $"Rename-FaceCluster -LiteralPath {_folder} -Id {id} -Name {PowerShellLiteral.Quote(NamePlaceholder)}");

    public string Merge(int id, int into) =>
        string.Create(CultureInfo.InvariantCulture, $"Merge-FaceCluster -LiteralPath {_folder} -Id {id} -Into {into}");

    /// <summary>Puts a face the face-quality gate set aside into a new person, past the gate from the next run on.</summary>
    public string RestoreGated(string photo, int faceIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"Move-FaceClusterMember -LiteralPath {_folder} -Photo {PowerShellLiteral.Quote(photo)} -FaceIndex {faceIndex} -NewPerson");

    public string RemoveMember(int id, string photo, int faceIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"Remove-FaceClusterMember -LiteralPath {_folder} -Id {id} -Photo {PowerShellLiteral.Quote(photo)} -FaceIndex {faceIndex}");
}
