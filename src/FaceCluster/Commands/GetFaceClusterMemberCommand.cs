using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.FileSystem;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Lists the faces of an export as objects, which the correction cmdlets take from the pipeline.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "FaceClusterMember", DefaultParameterSetName = PathParameterSet)]
[OutputType(typeof(FaceClusterMember))]
public sealed class GetFaceClusterMemberCommand : ExportFolderCommand
{
    /// <summary>Only the faces of these people (-1: the doubtful faces).</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(PersonIdCompleter))]
    public int[]? Id { get; set; }

    /// <summary>Only the faces of this photo: its source path or its copy in the export, or a wildcard pattern matching either.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Photo { get; set; }

    protected override void ProcessRecord()
    {
        Func<FaceClusterMember, bool> photo = PhotoFilter();
        foreach (string folder in Folders())
        {
            try
            {
                foreach (FaceClusterMember member in FaceClusterMember.Read(folder))
                {
                    if ((Id is null || Id.Contains(member.Id)) && photo(member))
                    {
                        WriteObject(member);
                    }
                }
            }
            catch (FileNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "ExportNotFound", ErrorCategory.ObjectNotFound, folder));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "ExportInvalid", ErrorCategory.InvalidData, folder));
            }
        }
    }

    private Func<FaceClusterMember, bool> PhotoFilter()
    {
        if (Photo is null)
        {
            return _ => true;
        }

        if (WildcardPattern.ContainsWildcardCharacters(Photo))
        {
            var pattern = WildcardPattern.Get(Photo, PathComparison.Current == StringComparison.OrdinalIgnoreCase ? WildcardOptions.IgnoreCase : WildcardOptions.None);
            return m => pattern.IsMatch(m.Photo) || pattern.IsMatch(m.Copy);
        }

        string full = LiteralFileSystemPath.Resolve(SessionState, Photo);
        return m => PathComparison.Comparer.Equals(m.Photo, full) || PathComparison.Comparer.Equals(m.Copy, full);
    }
}
