namespace Conduit.Dicom.Tests.Dictionary;

public class DicomDictionaryTests
{
    [Fact]
    public void FindsPatientNameByTag()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x0010, 0x0010));
        Assert.NotNull(entry);
        Assert.Equal("PatientName", entry.Keyword);
        Assert.Equal("Patient Name", entry.Name);
        Assert.Equal(DicomVR.PN, entry.VR);
        Assert.Equal("1", entry.VM);
        Assert.False(entry.IsRetired);
        Assert.Null(entry.PrivateCreator);
    }

    [Fact]
    public void FindsByKeyword()
    {
        var entry = DicomDictionary.FindByKeyword("SOPInstanceUID");
        Assert.NotNull(entry);
        Assert.Equal(new DicomTag(0x00080018), entry.Tag);
        Assert.Equal("SOP Instance UID", entry.Name);
        Assert.Equal(DicomVR.UI, entry.VR);
        Assert.Null(DicomDictionary.FindByKeyword("NoSuchKeyword"));
    }

    [Fact]
    public void TagParseAcceptsKeywords()
    {
        Assert.Equal(new DicomTag(0x00100020), DicomTag.Parse("PatientID"));
        Assert.Equal(new DicomTag(0x7FE00010), DicomTag.Parse("PixelData"));
    }

    [Fact]
    public void GeneratedTagConstantsMatchTheDictionary()
    {
        Assert.Equal(new DicomTag(0x00100010), DicomTags.PatientName);
        Assert.Equal(new DicomTag(0x0020000D), DicomTags.StudyInstanceUID);
        Assert.Equal(new DicomTag(0x00020010), DicomTags.TransferSyntaxUID);
        Assert.Equal(new DicomTag(0x7FE00010), DicomTags.PixelData);
    }

    [Theory]
    [InlineData(0x60003000u)]
    [InlineData(0x60023000u)]
    [InlineData(0x601E3000u)]
    public void RepeatingOverlayGroupsResolve(uint tag)
    {
        var entry = DicomDictionary.Find(new DicomTag(tag));
        Assert.NotNull(entry);
        Assert.Equal("OverlayData", entry.Keyword);
        Assert.Equal(0xFF01FFFFu, entry.Mask);
        Assert.Equal([DicomVR.OW, DicomVR.OB], entry.VRs);
    }

    [Fact]
    public void OverlayRowsResolveInAnyEvenOverlayGroup()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x6002, 0x0010));
        Assert.NotNull(entry);
        Assert.Equal("OverlayRows", entry.Keyword);
        Assert.Equal(DicomVR.US, entry.VR);
    }

    [Fact]
    public void OddRepeatingGroupIsPrivateNotOverlay()
    {
        // (6001,3000) is a private tag, not Overlay Data.
        Assert.Null(DicomDictionary.Find(new DicomTag(0x6001, 0x3000)));
    }

    [Fact]
    public void RetiredCurveGroupResolves()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x5010, 0x0010));
        Assert.NotNull(entry);
        Assert.Equal("NumberOfPoints", entry.Keyword);
        Assert.Equal(DicomVR.US, entry.VR);
        Assert.True(entry.IsRetired);

        var data = DicomDictionary.Find(new DicomTag(0x5010, 0x3000));
        Assert.NotNull(data);
        Assert.Equal("CurveData", data.Keyword);
    }

    [Fact]
    public void ElementRangeResolves()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x0020, 0x3105));
        Assert.NotNull(entry);
        Assert.Equal("SourceImageIDs", entry.Keyword);
        Assert.Equal(DicomVR.CS, entry.VR);
        Assert.True(entry.IsRetired);
    }

    [Fact]
    public void PrivateGroupLengthIsUL()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x0009, 0x0000));
        Assert.NotNull(entry);
        Assert.Equal(DicomVR.UL, entry.VR);
        Assert.Equal("GroupLength", entry.Keyword);
        Assert.Equal(DicomVR.UL, DicomDictionary.ImplicitVR(new DicomTag(0x0009, 0x0000)));
    }

    [Fact]
    public void CommandGroupLengthIsItsOwnEntry()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x0000, 0x0000));
        Assert.NotNull(entry);
        Assert.Equal("CommandGroupLength", entry.Keyword);
        Assert.Equal(DicomVR.UL, entry.VR);
    }

    [Fact]
    public void PrivateCreatorIsLO()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x0029, 0x0010));
        Assert.NotNull(entry);
        Assert.Equal("PrivateCreator", entry.Keyword);
        Assert.Equal(DicomVR.LO, entry.VR);
        Assert.Equal("1", entry.VM);
    }

    [Fact]
    public void FindsSiemensCsaEntryByCreator()
    {
        // (0029,1010) in the block reserved by (0029,0010) = "SIEMENS CSA HEADER".
        var entry = DicomDictionary.FindPrivate("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x1010));
        Assert.NotNull(entry);
        Assert.Equal("CSAImageHeaderInfo", entry.Keyword);
        Assert.Equal(DicomVR.OB, entry.VR);
        Assert.Equal("SIEMENS CSA HEADER", entry.PrivateCreator);
        Assert.Equal(new DicomTag(0x0029, 0x0010), entry.Tag);
        Assert.Equal(0xFFFF00FFu, entry.Mask);

        // The same element in another block (0029,11xx) maps to the same entry.
        var other = DicomDictionary.FindPrivate("SIEMENS CSA HEADER ", new DicomTag(0x0029, 0x1110));
        Assert.Same(entry, other);

        var series = DicomDictionary.FindPrivate("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x1020));
        Assert.NotNull(series);
        Assert.Equal("CSASeriesHeaderInfo", series.Keyword);
    }

    [Fact]
    public void UnknownPrivateCreatorFindsNothing()
    {
        Assert.Null(DicomDictionary.FindPrivate("NOBODY", new DicomTag(0x0029, 0x1010)));
        Assert.Null(DicomDictionary.Find(new DicomTag(0x0029, 0x1010)));
    }

    [Fact]
    public void RetiredFlagIsSet()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x0000, 0x0001));
        Assert.NotNull(entry);
        Assert.Equal("CommandLengthToEnd", entry.Keyword);
        Assert.True(entry.IsRetired);

        var current = DicomDictionary.Find(new DicomTag(0x0008, 0x0016));
        Assert.NotNull(current);
        Assert.False(current.IsRetired);
    }

    [Fact]
    public void PixelDataHasOWAndOB()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x7FE0, 0x0010));
        Assert.NotNull(entry);
        Assert.Equal("PixelData", entry.Keyword);
        Assert.Contains(DicomVR.OW, entry.VRs);
        Assert.Contains(DicomVR.OB, entry.VRs);
        Assert.Equal(DicomVR.OW, entry.VR);
    }

    [Fact]
    public void MultiVRAttributesListImplicitDefaultFirst()
    {
        var smallest = DicomDictionary.Find(new DicomTag(0x0028, 0x0106));
        Assert.NotNull(smallest);
        Assert.Equal([DicomVR.US, DicomVR.SS], smallest.VRs);

        var lutData = DicomDictionary.Find(new DicomTag(0x0028, 0x3006));
        Assert.NotNull(lutData);
        Assert.Equal([DicomVR.OW, DicomVR.US, DicomVR.SS], lutData.VRs);

        var dirOffset = DicomDictionary.Find(new DicomTag(0x0004, 0x1200));
        Assert.NotNull(dirOffset);
        Assert.Equal([DicomVR.UL], dirOffset.VRs);
    }

    [Fact]
    public void ItemHasNoVR()
    {
        var entry = DicomDictionary.Find(DicomTag.Item);
        Assert.NotNull(entry);
        Assert.Equal("Item", entry.Keyword);
        Assert.Equal(DicomVR.None, entry.VR);
    }

    [Fact]
    public void UnknownPublicTagFallsBackToUN()
    {
        Assert.Null(DicomDictionary.Find(new DicomTag(0x0010, 0x0011)));
        Assert.Equal(DicomVR.UN, DicomDictionary.ImplicitVR(new DicomTag(0x0010, 0x0011)));
    }

    [Fact]
    public void HasTheWholeDictionary()
    {
        var publicCount = DicomDictionary.Entries.Count(e => e.PrivateCreator is null);
        var privateCount = DicomDictionary.Entries.Count(e => e.PrivateCreator is not null);
        Assert.True(publicCount > 4000, $"only {publicCount} public entries");
        Assert.True(privateCount > 2000, $"only {privateCount} private entries");
        Assert.Equal(DicomDictionary.PublicEntryCount, publicCount);
        Assert.Equal(DicomDictionary.PrivateEntryCount, privateCount);
    }

    [Fact]
    public void PublicKeywordsAreUniqueExceptRepeats()
    {
        var duplicates = DicomDictionary.Entries
            .Where(e => e.PrivateCreator is null)
            .GroupBy(e => e.Keyword, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryPublicEntryIsFoundByItsTagAndEveryPrivateOneByItsCreator()
    {
        // The generated index (sorted exact tags, each with its table row) must lead every look-up to its own row.
        foreach (var entry in DicomDictionary.Entries)
        {
            if (entry.PrivateCreator is { } creator)
            {
                var found = DicomDictionary.FindPrivate(creator, new DicomTag(entry.Tag.Group, (ushort)(0x1000 | (entry.Tag.Element & 0xFF))));
                Assert.NotNull(found);
                Assert.Equal(creator, found.PrivateCreator);
                Assert.Equal(entry.Tag.Element & 0xFF, found.Tag.Element & 0xFF);
            }
            else if (entry.Mask == 0xFFFFFFFF)
            {
                Assert.Same(entry, DicomDictionary.Find(entry.Tag));
            }
            else
            {
                Assert.Equal(entry.Mask, DicomDictionary.Find(entry.Tag)?.Mask);
            }
        }
    }
}
