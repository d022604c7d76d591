using System.Diagnostics;
using System.Text.Json;

namespace FaceCluster.Engine.Tests.Clustering;

/// <summary>Runs an oracle script with /usr/bin/python3 on vectors written to a temporary file, and reads its JSON answer.</summary>
internal static class PythonOracle
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs <c>python3 SCRIPT INPUT OUTPUT ARGS...</c>; throws (with <paramref name="installHint"/>) when it fails.</summary>
    public static JsonElement Run(string scriptPath, IReadOnlyList<float[]> vectors, string installHint, params string[] arguments)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} not found: {installHint}");
        }

        string input = Path.GetTempFileName(), output = Path.GetTempFileName();
        try
        {
            WriteVectors(input, vectors);
            var psi = new ProcessStartInfo(Python)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { scriptPath, input, output }.Concat(arguments))
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {Python}.");
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            _ = stdout.Result;
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"{Path.GetFileName(scriptPath)} failed (exit {p.ExitCode}): {stderr.Trim()}\n{installHint}");
            }

            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(output));
            return doc.RootElement.Clone();
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    private static void WriteVectors(string path, IReadOnlyList<float[]> vectors)
    {
        using var w = new BinaryWriter(new BufferedStream(File.Create(path), 1 << 20));
        w.Write(vectors.Count);
        w.Write(vectors.Count == 0 ? 0 : vectors[0].Length);
        foreach (float[] v in vectors)
        {
            foreach (float x in v)
            {
                w.Write(x);
            }
        }
    }
}
