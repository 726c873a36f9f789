namespace Conduit.Dicom.Tests.Malformed;

/// <summary>
/// <see cref="DicomReadOptions.KeepOnly"/>: the whole structure is walked and checked, only the listed top-level
/// elements are kept.
/// </summary>
public class KeepOnlyTests
{
    private static readonly DicomTag SopInstanceUid = new(0x00080018);
    private static readonly DicomTag Modality = new(0x00080060);
    private static readonly DicomTag ReferencedSeries = new(0x00081115);
    private static readonly DicomTag PatientId = new(0x00100020);
    private static readonly DicomTag PixelData = new(0x7FE00010);
    private static readonly DicomReadOptions Keys = new() { KeepOnly = new HashSet<DicomTag> { SopInstanceUid, PatientId } };

    private static byte[] Encoded(bool undefinedLengthSequence)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(new DicomTag(0x0020000E), DicomVR.UI, "1.2.3.4.5");
        var ds = new DicomDataset();
        ds.AddOrUpdate(SopInstanceUid, DicomVR.UI, "1.2.3.4");
        ds.AddOrUpdate(Modality, DicomVR.CS, "CT");
        ds.Add(new DicomSequence(ReferencedSeries) { UndefinedLength = undefinedLengthSequence, Items = { item } });
        ds.AddOrUpdate(PatientId, DicomVR.LO, "PAT-7");
        ds.AddOrUpdate(PixelData, DicomVR.OW, new byte[4096]);
        using var stream = new MemoryStream();
        DicomWriter.WriteDataset(stream, ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnlyTheListedElementsAreKeptAndAllAreWalked(bool undefinedLengthSequence)
    {
        var ds = DicomReader.ReadDataset(new MemoryStream(Encoded(undefinedLengthSequence)), DicomTransferSyntax.ExplicitVRLittleEndian, Keys);

        Assert.Equal([SopInstanceUid, PatientId], ds.Select(e => e.Tag));
        Assert.Equal("PAT-7", ds.GetStringOrDefault(PatientId)?.Trim());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnElementLeftOutStillMayNotRunPastTheEndOfTheData(bool seekable)
    {
        var bytes = Encoded(undefinedLengthSequence: false);
        var cut = bytes.AsSpan(0, bytes.Length - 100).ToArray(); // inside Pixel Data, which is not kept
        Stream stream = seekable ? new MemoryStream(cut) : new ForwardOnlyStream(cut);

        var ex = Assert.Throws<DicomReadException>(() => DicomReader.ReadDataset(stream, DicomTransferSyntax.ExplicitVRLittleEndian, Keys));
        Assert.Equal(PixelData, ex.Tag);
        // A stream of unknown length cannot say how many bytes were left: the message must not pretend to.
        if (!seekable) Assert.Contains("data ends inside", ex.Message);
    }
}
