using System.Globalization;

namespace FaceCluster.Engine.Review;

/// <summary>
/// The PowerShell command the review page shows to apply the changes made on it, ready to copy: every path
/// single-quoted (<see cref="PowerShellLiteral"/>), so a pasted command runs as shown whatever the paths hold.
/// </summary>
public sealed class ReviewCommands(string exportFolder)
{
    private readonly string _folder = PowerShellLiteral.Quote(exportFolder);

    /// <summary>Imports the module and applies the edits file <paramref name="editsFile"/> to the export.</summary>
    public string Apply(string editsFile) =>
        string.Create(CultureInfo.InvariantCulture, $"Import-Module FaceCluster; Import-FaceClusterCorrection -LiteralPath {_folder} -FilePath {PowerShellLiteral.Quote("./" + editsFile)}");
}
