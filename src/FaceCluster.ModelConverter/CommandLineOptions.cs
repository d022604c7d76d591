namespace FaceCluster.ModelConverter;

/// <summary>Parses <c>--name value</c> pairs, refusing unknown names, repeats and a name without a value.</summary>
internal static class CommandLineOptions
{
    public static Dictionary<string, string> Parse(string[] args, params string[] knownNames)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            string name = args[i];
            if (!knownNames.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Unknown option '{name}'.");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option '{name}' needs a value.");
            }

            if (!options.TryAdd(name, args[i + 1]))
            {
                throw new ArgumentException($"Option '{name}' is given twice.");
            }
        }

        return options;
    }
}
