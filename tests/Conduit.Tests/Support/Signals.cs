using System.Runtime.InteropServices;

namespace Conduit.Tests.Support;

/// <summary>POSIX signals for the processes the tests start (.NET's Process.Kill only sends SIGKILL).</summary>
internal static class Signals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    // DllImport rather than LibraryImport: the generated LibraryImport stub needs unsafe code, this one does not.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is already gone.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;
}
