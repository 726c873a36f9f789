// Header-parse benchmark, Conduit's side of bench/header-parse/run.sh.
//
// Usage: Conduit.Bench.HeaderParse FILELIST
//   FILELIST: a text file with one DICOM file path per line (repeats allowed).
//
// Parses every listed file up to (not including) Pixel Data, once, in order, and
// prints one line the script parses:
//   files=N seconds=S alloc_per_file=B errors=E
// Time and allocations cover the parse loop only (not reading the list).
using System.Diagnostics;
using System.Globalization;
using Conduit.Dicom;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Conduit.Bench.HeaderParse FILELIST");
    return 2;
}

var paths = File.ReadAllLines(args[0]).Where(l => l.Length > 0).ToArray();

static bool ParseHeader(string path)
{
    try
    {
        DicomFile.Open(path, DicomReadOptions.HeaderOnly);
        return true;
    }
    catch (DicomReadException)
    {
        return false;
    }
}

// Warm up over the distinct files so the JIT is not measured.
foreach (var path in paths.Distinct()) ParseHeader(path);
Func<string, bool> parseHeader = ParseHeader;

Run(paths, parseHeader);
return 0;
static void Report(int files, TimeSpan elapsed, long allocatedBytes, int errors) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"files={files} seconds={elapsed.TotalSeconds:F4} alloc_per_file={allocatedBytes / Math.Max(files, 1)} errors={errors}"));

static void Run(string[] paths, Func<string, bool> parseHeader)
{
    var errors = 0;
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    foreach (var path in paths)
    {
        if (!parseHeader(path))
        {
            errors++;
        }
    }
    clock.Stop();
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    Report(paths.Length, clock.Elapsed, allocated, errors);
}
