namespace Conduit.Dicom.Tests.Malformed;

/// <summary>Data whose encoding is not the one declared, or not declared at all.</summary>
public class SyntaxMismatchTests
{
    private static byte[] ExplicitBody() => new DicomBytes()
        .Explicit(DicomTags.PatientName, "PN", "Doe^John")
        .Explicit(DicomTags.PatientID, "LO", "ID01")
        .Explicit(DicomTags.Rows, "US", 2).Raw([0x00, 0x02]).ToArray();

    private static byte[] ImplicitBody() => new DicomBytes()
        .Implicit(DicomTags.PatientName, "Doe^John")
        .Implicit(DicomTags.PatientID, "ID01")
        .Implicit(DicomTags.Rows, 2).Raw([0x00, 0x02]).ToArray();

    private static void AssertValues(DicomDataset ds)
    {
        Assert.Equal("Doe^John", ds.GetString(DicomTags.PatientName));
        Assert.Equal("ID01", ds.GetString(DicomTags.PatientID));
        Assert.Equal(DicomVR.US, ds.GetItem(DicomTags.Rows)!.VR);
        Assert.Equal((ushort)512, ds.GetValue<ushort>(DicomTags.Rows));
    }

    [Fact]
    public void Explicit_VR_data_declared_implicit_is_read_as_explicit_with_a_warning()
    {
        var syntax = DicomTransferSyntax.ImplicitVRLittleEndian;
        var file = DicomReader.ReadFile(new MemoryStream(DicomBytes.Part10(syntax, ExplicitBody())));

        AssertValues(file.Dataset);
        var warning = Assert.Single(file.Warnings);
        Assert.Equal(DicomBytes.BodyOffset(syntax), warning.Offset);
        Assert.Contains("implicit VR but the data is encoded in explicit VR", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Implicit_VR_data_declared_explicit_is_read_as_implicit_with_a_warning()
    {
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        var file = DicomReader.ReadFile(new MemoryStream(DicomBytes.Part10(syntax, ImplicitBody())));

        AssertValues(file.Dataset);
        var warning = Assert.Single(file.Warnings);
        Assert.Equal(DicomBytes.BodyOffset(syntax), warning.Offset);
        Assert.Contains("explicit VR but the data is encoded in implicit VR", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_implicit_little_endian_data_set_is_recognised()
    {
        var file = DicomReader.ReadFile(new MemoryStream(ImplicitBody()));
        Assert.Same(DicomTransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        AssertValues(file.Dataset);
        Assert.Contains(file.Warnings, w => w.Message.Contains("no File Meta Information", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bare_explicit_little_endian_data_set_is_recognised()
    {
        var file = DicomReader.ReadFile(new MemoryStream(ExplicitBody()));
        Assert.Same(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        AssertValues(file.Dataset);
        Assert.Empty(file.Meta);
    }

    [Fact]
    public void A_bare_explicit_big_endian_data_set_is_recognised()
    {
        var bytes = new DicomBytes(bigEndian: true)
            .Explicit(DicomTags.PatientName, "PN", "Doe^John")
            .Explicit(DicomTags.PatientID, "LO", "ID01")
            .Explicit(DicomTags.Rows, "US", 2).Raw([0x02, 0x00]).ToArray();

        var file = DicomReader.ReadFile(new MemoryStream(bytes));

        Assert.Same(DicomTransferSyntax.ExplicitVRBigEndian, file.TransferSyntax);
        AssertValues(file.Dataset);
    }

    [Fact]
    public void A_corrupt_deflated_data_set_is_refused_at_the_start_of_the_deflate_stream()
    {
        var syntax = DicomTransferSyntax.DeflatedExplicitVRLittleEndian;
        // 0xFF opens a final block of the reserved type 3 (RFC 1951 §3.2.3): no inflater accepts it.
        var bytes = DicomBytes.Part10(syntax, [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x02, 0x03]);

        var ex = Assert.Throws<DicomReadException>(() => DicomReader.ReadFile(new MemoryStream(bytes)));

        Assert.Equal(DicomBytes.BodyOffset(syntax), ex.Offset);
        Assert.Contains("deflate", ex.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<System.IO.InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void A_deflated_data_set_that_ends_mid_element_is_refused()
    {
        var syntax = DicomTransferSyntax.DeflatedExplicitVRLittleEndian;
        var compressed = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(new DicomBytes().Explicit(DicomTags.PatientName, "PN", 20).Text("Doe").ToArray());

        var ex = Assert.Throws<DicomReadException>(() =>
            DicomReader.ReadFile(new MemoryStream(DicomBytes.Part10(syntax, compressed.ToArray()))));
        Assert.Equal(DicomTags.PatientName, ex.Tag);
    }
}
