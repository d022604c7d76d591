using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Records that a face is a person of an export (an existing one, or a new one); the next Invoke-FaceCluster -Previous run puts it there.</para>
/// </summary>
[Cmdlet(VerbsCommon.Move, "FaceClusterMember", DefaultParameterSetName = PathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FaceMoveCorrection))]
public sealed class MoveFaceClusterMemberCommand : FaceCorrectionCommand
{
    private readonly Dictionary<string, int> _newPeople = [];

    /// <summary>The person the face is.</summary>
    [Parameter(Position = 2)]
    [ValidateRange(0, int.MaxValue)]
    [ArgumentCompleter(typeof(PersonIdCompleter))]
    public int Into { get; set; } = -1;

    /// <summary>The face is a new person: one for all the faces this command moves into an export.</summary>
    [Parameter]
    public SwitchParameter NewPerson { get; set; }

    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book)
    {
        if (NewPerson == MyInvocation.BoundParameters.ContainsKey(nameof(Into)))
        {
            throw new ArgumentException("Give either -Into <person id> or -NewPerson.", nameof(Into));
        }

        int into = !NewPerson ? Into : _newPeople.TryGetValue(book.Folder, out int made) ? made : book.NewPersonId;
        IReadOnlyList<FaceMoveCorrection> moves = book.Move(PhotoPath, FaceIndexGiven, into, NewPerson);
        if (NewPerson)
        {
            _newPeople[book.Folder] = into;
        }

        return (moves, FormattableString.Invariant($"Move {string.Join(", ", moves.Select(m => m.Face))} into {(NewPerson ? "new " : "")}person {into}"));
    }
}
