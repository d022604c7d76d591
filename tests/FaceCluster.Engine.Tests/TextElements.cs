using System.Globalization;

namespace FaceCluster.Engine.Tests;

/// <summary>A string's user-perceived characters (extended grapheme clusters), for checking where a name was cut.</summary>
public static class TextElements
{
    public static string[] Of(string text)
    {
        var elements = new List<string>();
        TextElementEnumerator e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
            elements.Add(e.GetTextElement());
        return [.. elements];
    }

    /// <summary>Whether <paramref name="cut"/> is <paramref name="whole"/> cut after a whole character.</summary>
    public static bool IsWholePrefix(string cut, string whole)
    {
        string[] a = Of(cut), b = Of(whole);
        return a.Length <= b.Length && a.SequenceEqual(b[..a.Length], StringComparer.Ordinal);
    }
}
