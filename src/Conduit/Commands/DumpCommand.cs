using System.CommandLine;
using Conduit.Dicom;

namespace Conduit.Commands;

/// <summary>`conduit dump`: prints DICOM files as text (like dcmdump) or as DICOM JSON.</summary>
internal static class DumpCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "DICOM files to read (Part 10, or bare data sets whose syntax is inferred).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Write DICOM JSON (PS3.18 Annex F): one object per file, an array when several files are given." };
        var stop = new Option<bool>("--stop-before-pixels") { Description = "Stop reading before Pixel Data (7FE0,0010): the fast header-only path." };
        var command = new Command("dump", "Print the elements of DICOM files.") { files, json, stop };
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
                    foreach (var w in dicom.Warnings) Console.Error.WriteLine($"warning: {file}: {w}");
                    Console.WriteLine($"# {file}: {dicom.TransferSyntax}, {dicom.Dataset.Count} elements");
                    foreach (var item in dicom.Dataset) Console.WriteLine(item);
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
}
