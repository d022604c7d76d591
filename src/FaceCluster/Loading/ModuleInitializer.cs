using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace FaceCluster.Loading;

/// <summary>
/// Runs when the module is imported: routes the one assembly the cmdlets reference directly
/// (<c>FaceCluster.Engine</c>) into <see cref="DependencyLoadContext"/>, which then resolves everything the
/// engine needs from <c>Dependencies/</c>. See PowerShell's guide "Resolving PowerShell module assembly
/// dependency conflicts".
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineAssemblyName = "FaceCluster.Engine";

    private static readonly string ModuleDirectory =
        System.IO.Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    private static readonly Lazy<DependencyLoadContext> LoadContext =
        new(() => new DependencyLoadContext(System.IO.Path.Combine(ModuleDirectory, "Dependencies")));

    /// <summary>Folder of the model packs laid out by build.ps1.</summary>
    internal static string ModelsDirectory => System.IO.Path.Combine(ModuleDirectory, "models");

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveEngine;

    public void OnRemove(PSModuleInfo module) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        return string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal)
            ? LoadContext.Value.LoadFromAssemblyName(name)
            : null;
    }
}
