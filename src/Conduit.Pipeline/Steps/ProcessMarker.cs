using System.Diagnostics;
using System.Globalization;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// A process step's program outlives a Conduit killed with SIGKILL, and would go on writing into the output folder
/// while the step runs again after the restart (the job's folders are recreated at the same paths). So while the
/// program runs the runner keeps a marker — <c>&lt;marker dir&gt;/&lt;job&gt;.&lt;step&gt;.pid</c> holding the pid and
/// its start time from <c>/proc/&lt;pid&gt;/stat</c> — outside the job's folders, which a re-run deletes; a re-run of
/// the step kills the process tree the marker names if that very process (same pid and start time, not a reused
/// pid) is still alive. The default marker folder is under the temp folder, which a reboot empties together with
/// the processes. Linux only (elsewhere no marker is written).
/// </summary>
internal sealed class ProcessMarker(string directory)
{
    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "conduit-process-markers");

    public void Write(string jobId, string step, int pid)
    {
        if (PathFor(jobId, step) is { } path && StartTime(pid) is { } start)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"{pid} {start}\n"));
        }
    }

    public void Delete(string jobId, string step)
    {
        if (PathFor(jobId, step) is { } path)
        {
            File.Delete(path);
        }
    }

    /// <summary>Kills what an earlier attempt of this step left running; returns the pid killed, or null.</summary>
    public int? KillLeftover(string jobId, string step)
    {
        var path = PathFor(jobId, step);
        if (path is null || !File.Exists(path))
        {
            return null;
        }
        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        File.Delete(path);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || StartTime(pid) != parts[1])
        {
            return null; // gone, or the pid now belongs to another process
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            return pid;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null; // exited meanwhile
        }
    }

    private string? PathFor(string jobId, string step) =>
        Store.PathSegments.IsValidName(jobId) && Store.PathSegments.IsValidName(step) && OperatingSystem.IsLinux()
            ? Path.Combine(directory, $"{jobId}.{step}.pid")
            : null;

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat (start time in clock ticks since boot), or null.</summary>
    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
