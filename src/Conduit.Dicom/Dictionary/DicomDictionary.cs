using System.Collections.Frozen;

namespace Conduit.Dicom;

/// <summary>
/// Look-ups in the PS3.6 data dictionary, generated into DicomDictionary.g.cs by tools/DictionaryGen.
/// Exact tags resolve through a frozen dictionary; repeating groups (50xx, 60xx, 7Fxx) and group length tags through masks.
/// </summary>
public static partial class DicomDictionary
{
    private static readonly DicomDictionaryEntry[] All = CreateEntries();

    private static readonly FrozenDictionary<uint, DicomDictionaryEntry> ByTag =
        All.Where(e => e.Mask == 0xFFFFFFFF && e.PrivateCreator is null)
           .GroupBy(e => e.Tag.Value).ToFrozenDictionary(g => g.Key, g => g.First());

    private static readonly DicomDictionaryEntry[] Masked =
        All.Where(e => e.Mask != 0xFFFFFFFF && e.PrivateCreator is null).ToArray();

    private static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword =
        All.Where(e => e.PrivateCreator is null && e.Keyword.Length > 0)
           .GroupBy(e => e.Keyword, StringComparer.Ordinal)
           .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static readonly FrozenDictionary<(string Creator, ushort Group, byte Element), DicomDictionaryEntry> ByPrivate =
        All.Where(e => e.PrivateCreator is not null)
           .GroupBy(e => (e.PrivateCreator!, e.Tag.Group, (byte)e.Tag.Element))
           .ToFrozenDictionary(g => g.Key, g => g.First());

    private static readonly DicomDictionaryEntry GroupLength =
        new(new DicomTag(0), 0x0000FFFF, "GroupLength", "Group Length", [DicomVR.UL], "1", false);

    private static readonly DicomDictionaryEntry PrivateCreatorEntry =
        new(new DicomTag(0x00010010), 0x0001FF00, "PrivateCreator", "Private Creator", [DicomVR.LO], "1", false);

    /// <summary>Every entry, public and private.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => All;

    /// <summary>The public entry for a tag, including repeating groups and group length; null when unknown.</summary>
    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        if (ByTag.TryGetValue(tag.Value, out var entry)) return entry;
        if (tag.IsGroupLength) return GroupLength;
        if (tag.IsPrivateCreator) return PrivateCreatorEntry;
        foreach (var m in Masked)
            if ((tag.Value & m.Mask) == m.Tag.Value) return m;
        return null;
    }

    /// <summary>A private entry, known by its creator (e.g. "SIEMENS CSA HEADER") and the element's low byte.</summary>
    public static DicomDictionaryEntry? FindPrivate(string creator, DicomTag tag) =>
        ByPrivate.TryGetValue((creator.Trim(), tag.Group, (byte)tag.Element), out var e) ? e : null;

    public static DicomDictionaryEntry? FindByKeyword(string keyword) =>
        ByKeyword.TryGetValue(keyword, out var e) ? e : null;

    /// <summary>The VR used for a tag read in implicit VR: the dictionary's first VR, UN when unknown.</summary>
    public static DicomVR ImplicitVR(DicomTag tag) => Find(tag)?.VR ?? DicomVR.UN;

    private static partial DicomDictionaryEntry[] CreateEntries();
}
