using System.Diagnostics;
using Conduit.Dicom.Dump;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Dicom.Tests.Dump;

/// <summary>
/// Our dump against dcmtk's dcmdump on real samples, line by line, on the columns that carry facts: nesting, tag,
/// VR, value length and keyword. Values are not compared (see the differences listed on <see cref="Normalize"/>).
/// </summary>
public sealed class DcmdumpComparisonTests
{
    // Files dcmdump reads cleanly and whose text values have no line breaks (dcmdump prints those raw).
    public static TheoryData<string> Files => new()
    {
        "ts-explicit-vr-le/CT_small.dcm",
        "ts-implicit-vr-le/MR_small_implicit.dcm",
        "ts-explicit-vr-be/MR_small_bigendian.dcm",
        "ts-deflated/image_dfl.dcm",
        "jpeg-baseline/JPEGwithIcon.dcm",
        "rle/SC_rgb_rle.dcm",
        "sequences/UN_sequence.dcm",
        "modality-rt/rtplan.dcm",
        "modality-seg/seg_image_ct_binary.dcm",
        "dicomdir/pydicom-dicomdirtests/DICOMDIR",
        "multiframe/I_000001.dcm",
        "jpeg-ls/CT1_UNC.fragmented_bot_jpeg_ls.80.dcm",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Tag_VR_length_and_keyword_columns_agree_with_dcmdump(string path)
    {
        var sample = Samples.Get(path);
        var ours = DumpLine.Parse(DicomTextDump.ToString(DicomFile.Open(sample.FullPath))).Select(Normalize).ToList();
        var theirs = DumpLine.Parse(RunDcmdump(sample.FullPath)).Select(Normalize).ToList();

        Assert.True(theirs.Count > 10, $"dcmdump printed only {theirs.Count} element lines for {path}");
        for (var i = 0; i < Math.Min(ours.Count, theirs.Count); i++)
            Assert.True(Agree(ours[i], theirs[i]), $"{path}, element line {i + 1}:\n  ours:    {ours[i]}\n  dcmdump: {theirs[i]}");
        Assert.Equal(theirs.Count, ours.Count);
    }

    /// <summary>
    /// The differences from dcmdump we keep, made equal here:
    /// <list type="bullet">
    /// <item>dcmtk's internal VRs: "up" (DICOMDIR offsets, UL for us) and "??" (unknown empty element, UN for us).</item>
    /// <item>Group length keywords: dcmtk says GenericGroupLength / PrivateGroupLength, our dictionary GroupLength.</item>
    /// <item>Private keywords come from different private dictionaries, so only public keywords are compared.</item>
    /// </list>
    /// </summary>
    private static DumpLine Normalize(DumpLine line)
    {
        var vr = line.VR switch
        {
            "up" => "UL",
            "??" => "UN",
            _ => line.VR,
        };
        var keyword = line.Keyword is "GenericGroupLength" or "PrivateGroupLength" ? "GroupLength" : line.Keyword;
        var group = Convert.ToUInt16(line.Tag[..4], 16);
        var isPrivate = (group & 1) == 1 && group > 7 && group != 0xFFFF;
        if (isPrivate && !line.Tag.EndsWith(",0000", StringComparison.Ordinal)) keyword = "(private)";
        return line with { VR = vr, Keyword = keyword };
    }

    /// <summary>
    /// Equal after <see cref="Normalize"/>, or a "US or SS" element read in implicit VR: dcmtk shows "xs" or picks by
    /// Pixel Representation, we take the dictionary's first VR (US), as pydicom does.
    /// </summary>
    private static bool Agree(DumpLine ours, DumpLine theirs)
    {
        if (ours == theirs) return true;
        if (ours with { VR = theirs.VR } != theirs) return false;
        var vrs = DicomDictionary.Find(DicomTag.Parse(ours.Tag))?.VRs ?? [];
        return vrs.Contains(DicomVR.US) && vrs.Contains(DicomVR.SS) && ours.VR is "US" or "SS" && theirs.VR is "US" or "SS" or "xs";
    }

    internal static string RunDcmdump(string path)
    {
        var start = new ProcessStartInfo("dcmdump", ["-q", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.Latin1,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("dcmdump did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("dcmdump (dcmtk) is needed for this test: run ./test.sh, which installs it", ex);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"dcmdump failed on {path}: {stderr.Result}");
            return output;
        }
    }
}
