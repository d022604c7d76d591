namespace FaceCluster.Engine.Tests;

/// <summary>
/// A fact that needs a network from ../shared/models/ (next to the checkout; never committed): skipped, with one line
/// that says so, where that file is absent (a user's machine, CI).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedModelFactAttribute : FactAttribute
{
    public SharedModelFactAttribute(string fileName)
    {
        if (Find(fileName) is null)
        {
            Skip = $"../shared/models/{fileName} is absent next to this checkout: this test needs those weights.";
        }
    }

    /// <summary>The full path of ../shared/models/<paramref name="fileName"/> above the test assembly; null when absent.</summary>
    public static string? Find(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
