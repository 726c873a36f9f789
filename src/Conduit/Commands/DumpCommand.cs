using System.CommandLine;
using System.Text;
using Conduit.Dicom;
using Conduit.Dicom.Dump;

namespace Conduit.Commands;

/// <summary>`conduit dump`: prints DICOM files as text (like dcmdump) or as DICOM JSON.</summary>
internal static class DumpCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "DICOM files to read (Part 10, or bare data sets whose syntax is inferred).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Write DICOM JSON (PS3.18 Annex F): one object per file, an array when several files are given." };
        var stop = new Option<bool>("--stop-before-pixels") { Description = "Stop reading before Pixel Data (7FE0,0010): the fast header-only path." };
        var maxValueLength = new Option<int>("--max-value-length")
        {
            Description = "Text dump: cut values longer than N characters with '...', as dcmdump does; 0 prints every value in full.",
            HelpName = "N",
            DefaultValueFactory = _ => DicomTextDumpOptions.DefaultMaxValueLength,
        };
        maxValueLength.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0) result.AddError("--max-value-length must be 0 (no limit) or a positive number of characters.");
        });
        var noMeta = new Option<bool>("--no-meta") { Description = "Text dump: leave out the File Meta Information group (0002,xxxx)." };
        var command = new Command("dump", "Print the elements of DICOM files: a text dump close to dcmtk's dcmdump, or DICOM JSON.")
        {
            files, json, stop, maxValueLength, noMeta,
        };
        command.SetAction(parse =>
        {
            var options = parse.GetValue(stop) ? DicomReadOptions.HeaderOnly : DicomReadOptions.Default;
            if (parse.GetValue(json)) return JsonDump.Write(parse.GetValue(files)!, options);
            var exit = ExitCodes.Success;
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    var dicom = DicomFile.Open(file.FullName, options);
                    WriteText(dicom, new DicomTextDumpOptions
                    {
                        MaxValueLength = parse.GetValue(maxValueLength) is > 0 and var max ? max : null,
                        ShowMeta = !parse.GetValue(noMeta),
                    });
                    // After the dump: sequences parsed on first access (header-only reads) add their warnings then.
                    foreach (var w in dicom.Warnings) Console.Error.WriteLine($"warning: {file}: {w}");
                }
                catch (DicomReadException ex)
                {
                    Console.Error.WriteLine($"error: {file}: {ex.Message}");
                    exit = ExitCodes.BadInput;
                }
                catch (IOException ex)
                {
                    Console.Error.WriteLine($"error: {file}: {ex.Message}");
                    exit = ExitCodes.BadInput;
                }
            }
            return exit;
        });
        return command;
    }

    /// <summary>The text dump of one file, buffered and flushed before the next file's warnings go to stderr.</summary>
    private static void WriteText(DicomFile dicom, DicomTextDumpOptions options)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024);
        DicomTextDump.Write(stdout, dicom, options);
    }
}
