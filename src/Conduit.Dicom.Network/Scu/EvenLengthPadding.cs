namespace Conduit.Dicom.Network.Scu;

/// <summary>
/// PS3.5 §7.1.1: every value has even length. Some files break the rule (an odd-length Pixel Data value), and
/// dcmtk-based peers abort on the odd PDV fragment that results ("Odd Fragment Length"). Before such a data set is
/// sent, each odd-length value gets one padding byte (the VR's: a space for text, 00H otherwise), as dcmtk's storescu
/// does; encapsulated fragments get 00H.
/// </summary>
internal static class EvenLengthPadding
{
    public static void Pad(DicomDataset dataset)
    {
        foreach (var item in dataset.ToList())
        {
            switch (item)
            {
                case DicomElement element when (element.Length & 1) == 1:
                    dataset.Add(new DicomElement(element.Tag, element.VR, DicomBuffer.From(Padded(element.Buffer.Memory, element.VR.PaddingByte))));
                    break;
                case DicomSequence sequence:
                    foreach (var child in sequence.Items) Pad(child);
                    break;
                case DicomFragmentSequence fragments:
                    for (var i = 0; i < fragments.Fragments.Count; i++)
                        if ((fragments.Fragments[i].Length & 1) == 1)
                            fragments.Fragments[i] = DicomBuffer.From(Padded(fragments.Fragments[i].Memory, 0));
                    break;
            }
        }
    }

    private static byte[] Padded(ReadOnlyMemory<byte> value, byte pad)
    {
        var padded = new byte[value.Length + 1];
        value.Span.CopyTo(padded);
        padded[^1] = pad;
        return padded;
    }
}
