using System.Management.Automation;

namespace FaceCluster.Commands;

/// <summary>
/// Resolves a path taken as written: a fully qualified file-system path stays as it is (a <c>::</c> in it is part of a
/// file name, not a provider qualifier); anything else resolves as PowerShell resolves it (against the current location,
/// a drive, a provider-qualified path), and a relative path that PowerShell would read as naming a provider
/// (<c>a::b.jpg</c>) against the current file-system folder.
/// </summary>
internal static class LiteralFileSystemPath
{
    public static string Resolve(SessionState state, string path)
    {
        if (System.IO.Path.IsPathFullyQualified(path))
        {
            return System.IO.Path.GetFullPath(path);
        }

        try
        {
            return state.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (ProviderNotFoundException)
        {
            return System.IO.Path.GetFullPath(path, state.Path.CurrentFileSystemLocation.ProviderPath);
        }
    }
}
