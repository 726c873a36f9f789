using System.Collections.Frozen;

namespace Conduit.Dicom;

/// <summary>
/// Look-ups in the PS3.6 data dictionary, generated into DicomDictionary.g.cs by tools/DictionaryGen. The table stays
/// text until asked: an exact tag is found by a binary search of the generated, constant tag index and only its row is
/// parsed (then kept); repeating groups (50xx, 60xx, 7Fxx) and group length tags resolve through masks. Parsing all
/// 7,800 rows up front cost tens of milliseconds at every process start (measured on `conduit echo`), most of them for
/// rows the process never needed.
/// </summary>
public static partial class DicomDictionary
{
    private static readonly DicomDictionaryEntry?[] Rows = new DicomDictionaryEntry?[PublicEntryCount + PrivateEntryCount];

    private static readonly DicomDictionaryEntry[] Masked = ParseMaskedRows();

    private static readonly DicomDictionaryEntry GroupLength =
        new(new DicomTag(0), 0x0000FFFF, "GroupLength", "Group Length", [DicomVR.UL], "1", false);

    private static readonly DicomDictionaryEntry PrivateCreatorEntry =
        new(new DicomTag(0x00010010), 0x0001FF00, "PrivateCreator", "Private Creator", [DicomVR.LO], "1", false);

    /// <summary>Every entry, public and private (parses the rows not parsed yet).</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => AllRows.Entries;

    /// <summary>The public entry for a tag, including repeating groups and group length; null when unknown.</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        var index = ExactTags.BinarySearch(tag.Value);
        if (index >= 0) return Row(ExactRows[index]);
        if (tag.IsGroupLength) return GroupLength;
        if (tag.IsPrivateCreator) return PrivateCreatorEntry;
        foreach (var m in Masked)
            if ((tag.Value & m.Mask) == m.Tag.Value) return m;
        return null;
    }

    /// <summary>A private entry, known by its creator (e.g. "SIEMENS CSA HEADER") and the element's low byte.</summary>
    public static DicomDictionaryEntry? FindPrivate(string creator, DicomTag tag) =>
        PrivateIndex.ByCreator.TryGetValue((creator.Trim(), tag.Group, (byte)tag.Element), out var e) ? e : null;

    public static DicomDictionaryEntry? FindByKeyword(string keyword) =>
        KeywordIndex.ByKeyword.TryGetValue(keyword, out var e) ? e : null;

    /// <summary>The VR used for a tag read in implicit VR: the dictionary's first VR, UN when unknown.</summary>
    public static DicomVR ImplicitVR(DicomTag tag) => Find(tag)?.VR ?? DicomVR.UN;

    /// <summary>The entry of a table row, parsed on first use; every caller gets the same instance.</summary>
    private static DicomDictionaryEntry Row(int row)
    {
        if (Volatile.Read(ref Rows[row]) is { } parsed) return parsed;
        var start = RowStarts[row];
        var end = row + 1 < RowStarts.Length ? RowStarts[row + 1] - 1 : Table.Length;
        var entry = ParseRow(Table.AsSpan(start, end - start));
        return Interlocked.CompareExchange(ref Rows[row], entry, null) ?? entry;
    }

    private static DicomDictionaryEntry[] ParseMaskedRows()
    {
        var masked = new DicomDictionaryEntry[MaskedRows.Length];
        for (var i = 0; i < masked.Length; i++) masked[i] = Row(MaskedRows[i]);
        return masked;
    }

    /// <summary>All rows, parsed on first use (a class of its own, so its initialiser runs only then).</summary>
    private static class AllRows
    {
        public static readonly DicomDictionaryEntry[] Entries = ParseAll();

        private static DicomDictionaryEntry[] ParseAll()
        {
            var all = new DicomDictionaryEntry[RowStarts.Length];
            for (var row = 0; row < all.Length; row++) all[row] = Row(row);
            return all;
        }
    }

    /// <summary>Keyword look-ups (public entries; the first of a keyword wins), built on first use.</summary>
    private static class KeywordIndex
    {
        public static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword = Index();

        private static FrozenDictionary<string, DicomDictionaryEntry> Index()
        {
            var byKeyword = new Dictionary<string, DicomDictionaryEntry>(PublicEntryCount, StringComparer.Ordinal);
            foreach (var entry in AllRows.Entries)
                if (entry.PrivateCreator is null && entry.Keyword.Length > 0) byKeyword.TryAdd(entry.Keyword, entry);
            return byKeyword.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>Private-tag look-ups by creator, group and element byte (the first entry wins), built on first use.</summary>
    private static class PrivateIndex
    {
        public static readonly Dictionary<(string Creator, ushort Group, byte Element), DicomDictionaryEntry> ByCreator = Index();

        private static Dictionary<(string Creator, ushort Group, byte Element), DicomDictionaryEntry> Index()
        {
            var byCreator = new Dictionary<(string, ushort, byte), DicomDictionaryEntry>(PrivateEntryCount);
            foreach (var entry in AllRows.Entries)
                if (entry.PrivateCreator is { } creator) byCreator.TryAdd((creator, entry.Tag.Group, (byte)entry.Tag.Element), entry);
            return byCreator;
        }
    }
}
