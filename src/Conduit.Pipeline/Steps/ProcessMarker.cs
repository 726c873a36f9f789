using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// A process step's program outlives a Conduit killed with SIGKILL, and would go on writing into the output folder
/// while the step runs again after the restart (the job's folders are recreated at the same paths). So each run of a
/// program is marked — <c>&lt;marker dir&gt;/&lt;job&gt;.&lt;step&gt;.pid</c>, outside the job's folders, which a
/// re-run deletes — and a re-run of the step kills what the marker names before it starts the program again.
/// <para>
/// The marker is written in two steps, each atomically (a temporary file renamed over it): before the program starts
/// it holds a fresh run id, which the program inherits as <see cref="StepEnvironment.RunId"/>; once it has started,
/// the run id, the pid and the pid's start time from <c>/proc/&lt;pid&gt;/stat</c>. A Conduit killed between the start
/// and the second write (a window of microseconds) leaves a marker with the run id only: the re-run then finds the
/// program, and its descendants, by that variable in <c>/proc/&lt;pid&gt;/environ</c>. With a pid, the re-run kills
/// that process tree if it is that very process (same pid and start time, not a reused pid), and every process still
/// carrying the run id (a descendant that left the tree, as with setsid).
/// </para>
/// The default marker folder is under the temp folder, which a reboot empties together with the processes. Linux only
/// (elsewhere no marker is written).
/// </summary>
internal sealed class ProcessMarker(string directory)
{
    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "conduit-process-markers");

    /// <summary>A fresh run id, written as the marker of a program about to start; the program must inherit it.</summary>
    public string Begin(string jobId, string step)
    {
        var runId = Guid.NewGuid().ToString("N");
        if (PathFor(jobId, step) is { } path)
        {
            WriteAtomically(path, runId);
        }
        return runId;
    }

    /// <summary>Adds the started program's pid and start time to the marker of run <paramref name="runId"/>.</summary>
    public void Started(string jobId, string step, string runId, int pid)
    {
        if (PathFor(jobId, step) is { } path && StartTime(pid) is { } start)
        {
            WriteAtomically(path, string.Create(CultureInfo.InvariantCulture, $"{runId} {pid} {start}"));
        }
    }

    public void Delete(string jobId, string step)
    {
        if (PathFor(jobId, step) is { } path)
        {
            File.Delete(path);
        }
    }

    /// <summary>Kills what an earlier run of this step left running; returns the pids killed.</summary>
    public IReadOnlyList<int> KillLeftover(string jobId, string step)
    {
        var path = PathFor(jobId, step);
        if (path is null || !File.Exists(path))
        {
            return [];
        }
        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        File.Delete(path);
        // "<run id>" (killed before the pid was written), "<run id> <pid> <start>", or, from before run ids, "<pid> <start>".
        var runId = parts.Length is 1 or 3 && Guid.TryParseExact(parts[0], "N", out _) ? parts[0] : null;
        var (pidText, start) = parts.Length switch
        {
            3 => (parts[1], parts[2]),
            2 => (parts[0], parts[1]),
            _ => (null, null),
        };
        var killed = new List<int>();
        if (int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && StartTime(pid) == start && KillTree(pid))
        {
            killed.Add(pid);
        }
        if (runId is not null)
        {
            killed.AddRange(ProcessesCarrying($"{StepEnvironment.RunId}={runId}").Where(KillTree));
        }
        return killed;
    }

    private string? PathFor(string jobId, string step) =>
        Store.PathSegments.IsValidName(jobId) && Store.PathSegments.IsValidName(step) && OperatingSystem.IsLinux()
            ? Path.Combine(directory, $"{jobId}.{step}.pid")
            : null;

    /// <summary>A crash in the middle of a write leaves the temporary file, never a half-written marker.</summary>
    private void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private static bool KillTree(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false; // exited meanwhile (or killed already, with a tree found earlier)
        }
    }

    /// <summary>The pids whose environment (<c>/proc/&lt;pid&gt;/environ</c>, NUL-separated) holds <paramref name="entry"/>.</summary>
    private static IEnumerable<int> ProcessesCarrying(string entry)
    {
        var wanted = Encoding.UTF8.GetBytes(entry);
        var self = Environment.ProcessId;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }
            byte[] environment;
            try
            {
                environment = File.ReadAllBytes(Path.Combine(folder, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone, or not ours to read
            }
            if (Holds(environment, wanted))
            {
                yield return pid;
            }
        }
    }

    private static bool Holds(ReadOnlySpan<byte> environment, ReadOnlySpan<byte> entry)
    {
        foreach (var variable in environment.Split((byte)0))
        {
            if (environment[variable].SequenceEqual(entry))
            {
                return true;
            }
        }
        return false;
    }

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
