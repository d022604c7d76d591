using System.Runtime.InteropServices;

namespace FaceCluster.Engine.Export;

/// <summary>
/// Creates hard links. Hand-written interop: .NET 8 has no File.CreateHardLink, so this calls <c>link(2)</c> from libc on
/// Unix and <c>CreateHardLinkW</c> from kernel32 on Windows. Both are atomic and never replace an existing destination.
/// </summary>
internal static partial class NativeHardLink
{
    private const int UnixEXDev = 18;    // EXDEV, same on Linux and macOS
    private const int WinErrorNotSameDevice = 17;

    /// <summary>Creates <paramref name="link"/> as a new name of the existing file <paramref name="existing"/>.</summary>
    /// <returns>0 on success, else the platform error (errno on Unix, Win32 error on Windows).</returns>
    public static int Create(string existing, string link)
    {
        if (OperatingSystem.IsWindows())
            return CreateHardLinkW(link, existing, IntPtr.Zero) ? 0 : Marshal.GetLastPInvokeError();
        return UnixLink(existing, link) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>The error means source and destination are on different volumes (EXDEV).</summary>
    public static bool IsCrossVolume(int error) => error == (OperatingSystem.IsWindows() ? WinErrorNotSameDevice : UnixEXDev);

    public static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnixLink(string oldPath, string newPath);

    [LibraryImport("kernel32.dll", EntryPoint = "CreateHardLinkW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string fileName, string existingFileName, IntPtr securityAttributes);
}
