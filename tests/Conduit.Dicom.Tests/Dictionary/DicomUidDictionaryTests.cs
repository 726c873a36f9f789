namespace Conduit.Dicom.Tests.Dictionary;

public class DicomUidDictionaryTests
{
    [Fact]
    public void FindsCTImageStorage()
    {
        var info = DicomUidDictionary.Find("1.2.840.10008.5.1.4.1.1.2");
        Assert.NotNull(info);
        Assert.Equal("CTImageStorage", info.Keyword);
        Assert.Equal("CT Image Storage", info.Name);
        Assert.Equal(DicomUidType.SopClass, info.Type);
        Assert.False(info.IsRetired);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", DicomUids.CTImageStorage);
    }

    [Fact]
    public void FindsExplicitVRLittleEndian()
    {
        var info = DicomUidDictionary.Find(DicomUids.ExplicitVRLittleEndian);
        Assert.NotNull(info);
        Assert.Equal("1.2.840.10008.1.2.1", info.Uid);
        Assert.Equal("Explicit VR Little Endian", info.Name);
        Assert.Equal(DicomUidType.TransferSyntax, info.Type);
        Assert.False(info.IsRetired);
    }

    [Fact]
    public void FindIgnoresUidPadding()
    {
        var info = DicomUidDictionary.Find("1.2.840.10008.1.2\0");
        Assert.NotNull(info);
        Assert.Equal("ImplicitVRLittleEndian", info.Keyword);
        Assert.Null(DicomUidDictionary.Find("1.2.3.4"));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.201", "HTJ2KLossless", "High-Throughput JPEG 2000 Image Compression (Lossless Only)")]
    [InlineData("1.2.840.10008.1.2.4.202", "HTJ2KLosslessRPCL", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)")]
    [InlineData("1.2.840.10008.1.2.4.203", "HTJ2K", "High-Throughput JPEG 2000 Image Compression")]
    [InlineData("1.2.840.10008.1.2.4.110", "JPEGXLLossless", "JPEG XL Lossless")]
    [InlineData("1.2.840.10008.1.2.4.112", "JPEGXL", "JPEG XL")]
    [InlineData("1.2.840.10008.1.2.4.107", "HEVCMP51", "HEVC/H.265 Main Profile / Level 5.1")]
    [InlineData("1.2.840.10008.1.2.8.1", "DeflatedImageFrameCompression", "Deflated Image Frame Compression")]
    [InlineData("1.2.840.10008.1.2.4.50", "JPEGBaseline8Bit", "JPEG Baseline (Process 1): Default Transfer Syntax for Lossy JPEG 8 Bit Image Compression")]
    public void FindsTransferSyntaxes(string uid, string keyword, string name)
    {
        var info = DicomUidDictionary.Find(uid);
        Assert.NotNull(info);
        Assert.Equal(keyword, info.Keyword);
        Assert.Equal(name, info.Name);
        Assert.Equal(DicomUidType.TransferSyntax, info.Type);
        Assert.Contains(info, DicomUidDictionary.TransferSyntaxes);
    }

    [Fact]
    public void HTJ2KConstantsHaveTheRegisteredValues()
    {
        Assert.Equal("1.2.840.10008.1.2.4.201", DicomUids.HTJ2KLossless);
        Assert.Equal("1.2.840.10008.1.2.4.202", DicomUids.HTJ2KLosslessRPCL);
        Assert.Equal("1.2.840.10008.1.2.4.203", DicomUids.HTJ2K);
    }

    [Fact]
    public void RetiredTransferSyntaxIsFlagged()
    {
        var info = DicomUidDictionary.Find("1.2.840.10008.1.2.2");
        Assert.NotNull(info);
        Assert.Equal("ExplicitVRBigEndian", info.Keyword);
        Assert.True(info.IsRetired);
    }

    [Fact]
    public void TransferSyntaxListHoldsOnlyTransferSyntaxes()
    {
        Assert.All(DicomUidDictionary.TransferSyntaxes, t => Assert.Equal(DicomUidType.TransferSyntax, t.Type));
        Assert.True(DicomUidDictionary.TransferSyntaxes.Count >= 60);
    }

    [Fact]
    public void StorageSopClassesContainImageAndNewClassesButNotServices()
    {
        var storage = DicomUidDictionary.StorageSopClasses.Select(s => s.Uid).ToHashSet();
        Assert.Contains(DicomUids.CTImageStorage, storage);
        Assert.Contains(DicomUids.DigitalXRayImageStorageForPresentation, storage);
        Assert.Contains(DicomUids.EncapsulatedPDFStorage, storage);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.66.8", storage); // Height Map Segmentation Storage
        Assert.Contains("1.2.840.10008.5.1.4.1.1.6.3", storage); // Photoacoustic Image Storage
        Assert.DoesNotContain(DicomUids.Verification, storage);
        Assert.DoesNotContain(DicomUids.StorageCommitmentPushModel, storage);
        Assert.DoesNotContain(DicomUids.MediaStorageDirectoryStorage, storage);
        Assert.DoesNotContain(DicomUids.ExplicitVRLittleEndian, storage);
        Assert.True(storage.Count > 150, $"only {storage.Count} storage SOP classes");
        Assert.True(DicomUidDictionary.IsStorageSopClass("1.2.840.10008.5.1.4.1.1.4"));
        Assert.False(DicomUidDictionary.IsStorageSopClass(DicomUids.PatientRootQueryRetrieveInformationModelFind));
    }

    [Fact]
    public void KindsAreClassified()
    {
        Assert.Equal(DicomUidType.ApplicationContext, DicomUidDictionary.Find("1.2.840.10008.3.1.1.1")?.Type);
        Assert.Equal(DicomUidType.MetaSopClass, DicomUidDictionary.Find("1.2.840.10008.5.1.1.9")?.Type);
        Assert.Equal(DicomUidType.WellKnownSopInstance, DicomUidDictionary.Find("1.2.840.10008.1.20.1.1")?.Type);
        Assert.Equal(DicomUidType.WellKnownFrameOfReference, DicomUidDictionary.Find("1.2.840.10008.1.4.1.1")?.Type);
        Assert.Equal(DicomUidType.CodingScheme, DicomUidDictionary.Find("1.2.840.10008.2.16.4")?.Type);
        Assert.Equal(DicomUidType.LdapOid, DicomUidDictionary.Find("1.2.840.10008.15.0.3.1")?.Type);
        Assert.Equal("Patient Root Query/Retrieve Information Model - FIND",
            DicomUidDictionary.Find("1.2.840.10008.5.1.4.1.2.1.1")?.Name);
    }

    [Fact]
    public void UidsAndKeywordsAreUnique()
    {
        var all = DicomUidDictionary.Entries;
        Assert.Equal(all.Count, all.Select(u => u.Uid).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.Count, all.Select(u => u.Keyword).Distinct(StringComparer.Ordinal).Count());
    }
}
