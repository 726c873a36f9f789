using System.Text.Json;
using Conduit.Dicom;

namespace Conduit.Commands;

/// <summary>
/// `conduit dump --json`: DICOM JSON (PS3.18 Annex F) on stdout, one object for one file, an array for several.
/// A file that cannot be read is reported on stderr and stands as null in the array, so positions still match the
/// arguments. Warnings go to stderr: stdout carries nothing but JSON.
/// </summary>
internal static class JsonDump
{
    public static int Write(IReadOnlyList<FileInfo> files, DicomReadOptions readOptions)
    {
        var exit = ExitCodes.Success;
        var options = new DicomJsonWriterOptions { Indented = true };
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, DicomJsonWriter.WriterOptions(options)))
        {
            var many = files.Count > 1;
            if (many) writer.WriteStartArray();
            foreach (var file in files)
            {
                DicomFile dicom;
                try
                {
                    dicom = DicomFile.Open(file.FullName, readOptions);
                }
                catch (Exception ex) when (ex is DicomReadException or IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"error: {file}: {ex.Message}");
                    exit = ExitCodes.BadInput;
                    if (many) writer.WriteNullValue();
                    continue;
                }
                foreach (var w in dicom.Warnings) Console.Error.WriteLine($"warning: {file}: {w}");
                DicomJsonWriter.Write(writer, dicom, options);
            }
            if (many) writer.WriteEndArray();
            writer.Flush();
        }
        stdout.Write("\n"u8);
        return exit;
    }
}
