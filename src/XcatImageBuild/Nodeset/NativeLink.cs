using System.Runtime.InteropServices;

namespace XcatImageBuild.Nodeset;

/// <summary>Hard links, which .NET does not make: libc's link(2).</summary>
internal static partial class NativeLink
{
    /// <summary>Makes <paramref name="link"/> a second name of the file <paramref name="target"/>.</summary>
    /// <exception cref="IOException">link(2) failed.</exception>
    public static void Hard(string target, string link)
    {
        if (LinkFile(target, link) != 0)
        {
            throw new IOException($"cannot link {link} to {target}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkFile(string oldPath, string newPath);
}
