using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Dicom.Tests.Conformance;

/// <summary>Which reader produced a sample's reference JSON (docs/conformance.md, "Choosing the reference").</summary>
public enum ReferenceSource
{
    Dcm2Json,
    Pydicom,
    /// <summary>Neither reference could convert the file.</summary>
    None,
}

/// <summary>The reference document for one sample, with why the other reference was not used.</summary>
public sealed record ReferenceDocument(ReferenceSource Source, string? Json, string? Dcm2JsonFailure, string? PydicomFailure);

/// <summary>
/// The reference JSON of every sample, computed once per test run: dcmtk's <c>dcm2json -fc</c> (one process
/// per file, run in parallel) where it exits 0 with valid UTF-8, else pydicom's <c>to_json_dict()</c> through
/// tests/reference/pydicom_json.py (one Python process for all files, run beside dcm2json).
/// </summary>
public static class ReferenceJson
{
    public const string Dcm2Json = "dcm2json";
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<IReadOnlyDictionary<string, ReferenceDocument>> All = new(Compute);

    public static ReferenceDocument For(string samplePath) => All.Value[samplePath];

    public static IReadOnlyDictionary<string, ReferenceDocument> Every => All.Value;

    /// <summary>The repository root (the directory holding Conduit.slnx), found upwards from the test binary.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static IReadOnlyDictionary<string, ReferenceDocument> Compute()
    {
        // pydicom is one process over every file, so it runs beside the dcm2json processes instead of after them.
        var pydicomTask = Task.Run(() => RunPydicom(Samples.All.Select(s => s.FullPath).ToList()));
        var dcm2json = new ConcurrentDictionary<string, (string? Json, string? Failure)>();
        Parallel.ForEach(Samples.All, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            sample => dcm2json[sample.Path] = RunDcm2Json(sample.FullPath));
        var pydicom = pydicomTask.GetAwaiter().GetResult();

        var result = new Dictionary<string, ReferenceDocument>();
        for (var i = 0; i < Samples.All.Count; i++)
        {
            var sample = Samples.All[i];
            var (json, failure) = dcm2json[sample.Path];
            var py = pydicom[i];
            result[sample.Path] = json is not null
                ? new ReferenceDocument(ReferenceSource.Dcm2Json, json, null, py.Error)
                : py.Error is null
                    ? new ReferenceDocument(ReferenceSource.Pydicom, py.Json, failure, null)
                    : new ReferenceDocument(ReferenceSource.None, null, failure, py.Error);
        }
        return result;
    }

    private static (string? Json, string? Failure) RunDcm2Json(string path)
    {
        var (exit, stdout, stderr) = Run(Dcm2Json, ["-fc", path], TimeSpan.FromSeconds(60));
        if (exit != 0)
        {
            var firstError = stderr.Split('\n').FirstOrDefault(l => l.StartsWith("F:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal));
            return (null, $"exit {exit}: {firstError ?? stderr.Trim()}");
        }
        // dcm2json exits 0 on some files yet writes raw non-UTF-8 bytes (docs/conformance.md).
        if (!System.Text.Unicode.Utf8.IsValid(stdout)) return (null, "exit 0 but the output is not valid UTF-8");
        return (System.Text.Encoding.UTF8.GetString(stdout), null);
    }

    private static List<(string? Json, string? Error)> RunPydicom(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) return [];
        var script = Path.Combine(RepositoryRoot, "tests", "reference", "pydicom_json.py");
        var (exit, stdout, stderr) = Run(Python, [script, .. paths], TimeSpan.FromMinutes(5));
        if (exit != 0) throw new InvalidOperationException($"pydicom_json.py exited {exit}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        var list = new List<(string?, string?)>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            list.Add(entry.TryGetProperty("__error__", out var error)
                ? (null, error.GetString())
                : (entry.GetRawText(), null));
        }
        if (list.Count != paths.Count) throw new InvalidOperationException($"pydicom_json.py gave {list.Count} results for {paths.Count} files");
        return list;
    }

    /// <summary>Runs a program to completion, reading stdout as bytes and stderr as text concurrently.</summary>
    public static (int Exit, byte[] Stdout, string Stderr) Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments.Take(3))} did not finish in {timeout}");
        }
        copy.GetAwaiter().GetResult();
        return (process.ExitCode, stdout.ToArray(), stderr.GetAwaiter().GetResult());
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conduit.slnx"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"Conduit.slnx not found above {AppContext.BaseDirectory}");
    }
}
