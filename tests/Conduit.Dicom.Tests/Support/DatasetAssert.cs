using Conduit.Dicom;

namespace Conduit.Dicom.Tests.Support;

/// <summary>Compares two data sets element by element, recursing into sequences and fragments.</summary>
public static class DatasetAssert
{
    /// <param name="compareVRs">False when one side went through implicit VR, which forgets the VRs of unknown private elements.</param>
    public static void Equal(DicomDataset expected, DicomDataset actual, bool compareVRs = true, string path = "")
    {
        var e = expected.ToList();
        var a = actual.ToList();
        Assert.True(e.Count == a.Count,
            $"{path}: {e.Count} elements expected, {a.Count} found; missing [{string.Join(", ", e.Select(x => x.Tag).Except(a.Select(x => x.Tag)))}], extra [{string.Join(", ", a.Select(x => x.Tag).Except(e.Select(x => x.Tag)))}]");
        for (var i = 0; i < e.Count; i++)
        {
            var x = e[i];
            var y = a[i];
            var where = $"{path}{x.Tag}";
            Assert.True(x.Tag == y.Tag, $"{where}: tag {y.Tag} found");
            if (compareVRs) Assert.True(x.VR == y.VR || x is DicomSequence, $"{where}: VR {x.VR.Code} expected, {y.VR.Code} found");
            switch (x)
            {
                case DicomElement xe:
                    var ye = Assert.IsType<DicomElement>(y);
                    Assert.True(xe.Buffer.Span.SequenceEqual(ye.Buffer.Span), $"{where}: value bytes differ ({xe.Length} vs {ye.Length} bytes)");
                    break;
                case DicomSequence xs:
                    var ys = Assert.IsType<DicomSequence>(y);
                    Assert.True(xs.Items.Count == ys.Items.Count, $"{where}: {xs.Items.Count} items expected, {ys.Items.Count} found");
                    for (var k = 0; k < xs.Items.Count; k++)
                        Equal(xs.Items[k], ys.Items[k], compareVRs, $"{where}[{k}].");
                    break;
                case DicomFragmentSequence xf:
                    var yf = Assert.IsType<DicomFragmentSequence>(y);
                    Assert.True(xf.OffsetTable.Span.SequenceEqual(yf.OffsetTable.Span), $"{where}: offset tables differ");
                    Assert.True(xf.Fragments.Count == yf.Fragments.Count, $"{where}: {xf.Fragments.Count} fragments expected, {yf.Fragments.Count} found");
                    for (var k = 0; k < xf.Fragments.Count; k++)
                        Assert.True(xf.Fragments[k].Span.SequenceEqual(yf.Fragments[k].Span), $"{where}: fragment {k} differs");
                    break;
            }
        }
    }
}
