using Conduit.Dicom.Tests.Support;

namespace Conduit.Dicom.Tests.Json;

/// <summary>JSON → data set → JSON gives the same document, for every sample Conduit reads.</summary>
public sealed class DicomJsonRoundTripTests
{
    [Theory]
    [MemberData(nameof(Samples.AllPaths), MemberType = typeof(Samples))]
    public void Json_read_back_and_written_again_is_the_same_document(string path)
    {
        DicomFile file;
        try
        {
            file = DicomFile.Open(Samples.Get(path).FullPath);
        }
        catch (DicomReadException)
        {
            return; // refused files are the conformance test's business
        }
        var json = DicomJsonWriter.Serialize(file);
        var dataset = DicomJsonReader.Parse(json);
        var again = DicomJsonWriter.Serialize(dataset);

        // Only (0008,0005) may appear: ISO_IR 192 is added when non-ASCII text had no declared character set.
        var differences = DicomJsonComparer.Compare(json, again, (tag, _, path) =>
            tag == "00080005" && path == "/00080005" ? "character set added for non-ASCII text" : null);
        Assert.True(differences.Count == 0, DicomJsonComparer.Describe(differences));
    }
}
