using System.Reflection;
using System.Runtime.Loader;

namespace FaceCluster.Loading;

/// <summary>
/// The module's own load context over its <c>Dependencies/</c> folder: the engine, SkiaSharp and ONNX Runtime
/// load here, so FaceCluster never clashes with another module's copy of those libraries. Native libraries
/// are resolved from <c>Dependencies/runtimes/&lt;rid&gt;/native</c> by this context rather than by
/// PowerShell's probing, which has changed between releases.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;
    private readonly string[] _nativeDirectories;

    public DependencyLoadContext(string directory)
        : base("FaceCluster.Dependencies", isCollectible: false)
    {
        _directory = directory;
        _nativeDirectories = NativeDirectories(directory).ToArray();
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string candidate = System.IO.Path.Combine(_directory, assemblyName.Name + ".dll");
        // Anything not shipped in Dependencies/ (the framework itself) comes from the default context.
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (string directory in _nativeDirectories)
        {
            foreach (string fileName in NativeFileNames(unmanagedDllName))
            {
                string candidate = System.IO.Path.Combine(directory, fileName);
                if (File.Exists(candidate))
                {
                    return LoadUnmanagedDllFromPath(candidate);
                }
            }
        }

        return IntPtr.Zero;
    }

    private static IEnumerable<string> NativeDirectories(string root)
    {
        yield return System.IO.Path.Combine(root, "runtimes", NativeRuntimeId.Current, "native");
        if (OperatingSystem.IsMacOS())
        {
            yield return System.IO.Path.Combine(root, "runtimes", "osx", "native");
        }

        yield return root;
    }

    private static IEnumerable<string> NativeFileNames(string name)
    {
        string prefix = OperatingSystem.IsWindows() ? string.Empty : "lib";
        string suffix = OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        yield return name;
        if (!name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            yield return name + suffix;
        }

        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            yield return prefix + name + suffix;
        }
    }
}
