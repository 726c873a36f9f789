namespace Conduit.Dicom;

/// <summary>One entry of a data set: a plain element, a sequence of items, or encapsulated (fragmented) pixel data.</summary>
public abstract class DicomItem(DicomTag tag, DicomVR vr)
{
    public DicomTag Tag { get; } = tag;

    /// <summary>The VR as read (explicit) or looked up (implicit); UN when neither knew it.</summary>
    public DicomVR VR { get; } = vr;

    public override string ToString() => $"{Tag} {VR.Code}";
}

/// <summary>An element whose value is bytes (strings, numbers, binary), stored little-endian as read, padding included.</summary>
public sealed class DicomElement(DicomTag tag, DicomVR vr, DicomBuffer value) : DicomItem(tag, vr)
{
    public DicomBuffer Buffer { get; } = value;
    public long Length => Buffer.Length;
}

/// <summary>A sequence (SQ) of nested data sets. Also UN of undefined length, read as a sequence per CP-246.</summary>
public sealed class DicomSequence(DicomTag tag, DicomVR vr = DicomVR.SQ) : DicomItem(tag, vr)
{
    private List<DicomDataset>? _items;
    private Func<List<DicomDataset>>? _deferred;

    /// <summary>The items; a sequence whose parsing was deferred (header-only reads) is parsed on first access.</summary>
    public List<DicomDataset> Items
    {
        get
        {
            if (_items is not null) return _items;
            lock (this)
            {
                if (_items is null)
                {
                    var parse = _deferred;
                    _deferred = null;
                    _items = parse is null ? [] : parse();
                }
            }
            return _items;
        }
    }

    /// <summary>False while the items of a deferred sequence are still unparsed bytes.</summary>
    public bool IsParsed => _items is not null;

    internal void Defer(Func<List<DicomDataset>> parse) => _deferred = parse;

    /// <summary>Written with undefined length and a Sequence Delimitation Item, as read (kept for byte-exact round trips).</summary>
    public bool UndefinedLength { get; set; }
}

/// <summary>Encapsulated Pixel Data (PS3.5 §A.4): the Basic Offset Table item and the fragments, bit-exact.</summary>
public sealed class DicomFragmentSequence(DicomTag tag, DicomVR vr = DicomVR.OB) : DicomItem(tag, vr)
{
    /// <summary>The first item: Basic Offset Table, often empty.</summary>
    public DicomBuffer OffsetTable { get; set; } = DicomBuffer.Empty;

    public List<DicomBuffer> Fragments { get; } = [];
}
