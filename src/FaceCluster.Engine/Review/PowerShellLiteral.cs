using System.Text;

namespace FaceCluster.Engine.Review;

/// <summary>
/// Quotes text as a PowerShell single-quoted string, the one literal form in which nothing is expanded. Hand-written
/// because the engine does not reference PowerShell: it does what <c>CodeGeneration.EscapeSingleQuotedStringContent</c>
/// does, doubling every character PowerShell reads as a single quote (the ASCII one and the typographic ‘ ’ ‚ ‛).
/// </summary>
public static class PowerShellLiteral
{
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
                quoted.Append(c);
            quoted.Append(c);
        }
        return quoted.Append('\'').ToString();
    }
}
