using System.Collections;
using Conduit.Dicom.Text;

namespace Conduit.Dicom;

/// <summary>
/// An ordered collection of DICOM elements: a top-level data set, the File Meta group, or one item of a sequence.
/// Values keep their encoded bytes; typed access (strings, numbers, dates, person names) decodes on request,
/// with the character set declared here or inherited from the enclosing data set.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items;
    private DicomCharacterSet? _characterSet;

    public DicomDataset() => _items = [];

    internal DicomDataset(int capacity) => _items = new List<DicomItem>(capacity);

    /// <summary>The data set this one is an item of (null at top level); it supplies the character set when this one has none.</summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>For a sequence item: written with undefined length and an Item Delimitation Item, as read.</summary>
    public bool UndefinedLength { get; set; }

    public int Count => _items.Count;

    /// <summary>The character set for text values: (0008,0005) of this data set or of the nearest enclosing one.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null) return _characterSet;
            if (TryGetItem(SpecificCharacterSetTag, out var item) && item is DicomElement e)
                return _characterSet = DicomCharacterSet.FromSpecificCharacterSet(DecodeAscii(e.Buffer.Span).Split('\\'));
            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    private static readonly DicomTag SpecificCharacterSetTag = new(0x00080005);

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGetItem(DicomTag tag, out DicomItem item)
    {
        var i = IndexOf(tag);
        item = i >= 0 ? _items[i] : null!;
        return i >= 0;
    }

    public DicomItem? GetItem(DicomTag tag) => TryGetItem(tag, out var item) ? item : null;

    public DicomSequence? GetSequence(DicomTag tag) => GetItem(tag) as DicomSequence;

    /// <summary>Adds an item, replacing any with the same tag; keeps the data set in tag order.</summary>
    public DicomDataset Add(DicomItem item)
    {
        var count = _items.Count;
        if (count == 0 || _items[count - 1].Tag < item.Tag)
        {
            _items.Add(item);
        }
        else
        {
            var i = IndexOf(item.Tag);
            if (i >= 0) _items[i] = item;
            else _items.Insert(~i, item);
        }
        if (item.Tag == SpecificCharacterSetTag) _characterSet = null;
        return this;
    }

    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0) return false;
        _items.RemoveAt(i);
        if (tag == SpecificCharacterSetTag) _characterSet = null;
        return true;
    }

    public void Clear()
    {
        _items.Clear();
        _characterSet = null;
    }

    /// <summary>Binary search; the complement of the insertion point when absent.</summary>
    private int IndexOf(DicomTag tag)
    {
        int lo = 0, hi = _items.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var v = _items[mid].Tag.Value;
            if (v == tag.Value) return mid;
            if (v < tag.Value) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    /// <summary>Last tag added, for the reader's ordering check.</summary>
    internal DicomTag? LastTag => _items.Count == 0 ? null : _items[^1].Tag;

    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static string DecodeAscii(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);
}
