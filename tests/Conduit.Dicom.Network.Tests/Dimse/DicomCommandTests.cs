using System.Buffers.Binary;
using Conduit.Dicom.Network.Dimse;

namespace Conduit.Dicom.Network.Tests.Dimse;

public class DicomCommandTests
{
    [Fact]
    public void StoreRequestRoundTripsWithMoveOriginator()
    {
        var rq = DicomCommand.CreateStoreRequest(7, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5", "MOVER", 42);
        var read = DicomCommand.Decode(rq.ToArray());
        Assert.Equal(DicomCommandField.CStoreRequest, read.CommandField);
        Assert.Equal(7, read.MessageId);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", read.AffectedSopClassUid);
        Assert.Equal("1.2.3.4.5", read.AffectedSopInstanceUid);
        Assert.True(read.HasDataset);
        Assert.Equal("MOVER", read.MoveOriginatorAeTitle);
        Assert.Equal((ushort)42, read.MoveOriginatorMessageId);
    }

    [Fact]
    public void ResponseEchoesTheRequestAndCarriesStatusAndComment()
    {
        var rq = DicomCommand.CreateStoreRequest(9, "1.2.840.10008.5.1.4.1.1.7", "1.2.3");
        var rsp = DicomCommand.Decode(DicomCommand.CreateResponse(rq, DicomStatus.DatasetDoesNotMatchSopClass, "why").ToArray());
        Assert.Equal(DicomCommandField.CStoreResponse, rsp.CommandField);
        Assert.Equal(9, rsp.MessageIdBeingRespondedTo);
        Assert.False(rsp.HasDataset);
        Assert.Equal(0xA900, rsp.Status.Code);
        Assert.Equal("why", rsp.ErrorComment);
        Assert.Equal("1.2.3", rsp.AffectedSopInstanceUid);
        Assert.False(rsp.IsRequest);
    }

    [Fact]
    public void EchoRequestHasNoDataset()
    {
        var read = DicomCommand.Decode(DicomCommand.CreateEchoRequest(1).ToArray());
        Assert.Equal(DicomCommandField.CEchoRequest, read.CommandField);
        Assert.False(read.HasDataset);
        Assert.Equal(DicomUids.Verification, read.AffectedSopClassUid);
    }

    [Fact]
    public void CommandGroupLengthCountsEveryFollowingElement()
    {
        var bytes = DicomCommand.CreateStoreRequest(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4").ToArray();
        // (0000,0000) UL, implicit VR: tag 4 bytes, length 4 bytes, value 4 bytes.
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal((uint)(bytes.Length - 12), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
    }

    [Fact]
    public void ElementsOutsideGroupZeroAreRefused()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.CommandField, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "X");
        using var stream = new MemoryStream();
        DicomWriter.WriteDataset(stream, ds, DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Throws<DimseException>(() => DicomCommand.Decode(stream.ToArray()));
    }

    [Theory]
    [InlineData(0x0000, DicomStatusCategory.Success)]
    [InlineData(0xB000, DicomStatusCategory.Warning)]
    [InlineData(0xB007, DicomStatusCategory.Warning)]
    [InlineData(0xA700, DicomStatusCategory.Failure)]
    [InlineData(0xA7FF, DicomStatusCategory.Failure)]
    [InlineData(0xA900, DicomStatusCategory.Failure)]
    [InlineData(0xC123, DicomStatusCategory.Failure)]
    [InlineData(0xFE00, DicomStatusCategory.Cancel)]
    [InlineData(0xFF00, DicomStatusCategory.Pending)]
    public void StatusCategoriesFollowPs37AnnexC(int code, DicomStatusCategory category)
    {
        var status = new DicomStatus((ushort)code);
        Assert.Equal(category, status.Category);
        Assert.Equal(category is DicomStatusCategory.Success or DicomStatusCategory.Warning, status.IsStored);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2", true)]
    [InlineData("1.2.3.04", true)]
    [InlineData("", false)]
    [InlineData("1..2", false)]
    [InlineData(".1.2", false)]
    [InlineData("1.2.", false)]
    [InlineData("../etc", false)]
    [InlineData("1.2/3", false)]
    [InlineData("05fa52f0e599", false)]
    public void UidValidationKeepsPathsSafe(string uid, bool valid) => Assert.Equal(valid, DicomUidValidator.IsValid(uid));
}
