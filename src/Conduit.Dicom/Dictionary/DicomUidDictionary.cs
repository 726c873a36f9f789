namespace Conduit.Dicom;

/// <summary>Look-ups in the UID registry generated into DicomUids.g.cs by tools/DictionaryGen.</summary>
public static class DicomUidDictionary
{
    private static readonly DicomUidInfo[] All = DicomUids.CreateInfos();

    // A plain dictionary: every process that reads a file builds this at once, and a frozen one's creation (it studies
    // the keys to pick a hash) cost milliseconds of start-up for no measurable gain on 462 look-up keys.
    private static readonly Dictionary<string, DicomUidInfo> ByUid = All.ToDictionary(u => u.Uid, StringComparer.Ordinal);

    private static readonly DicomUidInfo[] Storage = All.Where(IsStorageSopClass).ToArray();

    private static readonly DicomUidInfo[] Syntaxes = All.Where(u => u.Type == DicomUidType.TransferSyntax).ToArray();

    /// <summary>Every known UID, ordered by value.</summary>
    public static IReadOnlyList<DicomUidInfo> Entries => All;

    /// <summary>The registry entry for a UID (trailing NUL or space padding is ignored); null when unknown.</summary>
    public static DicomUidInfo? Find(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        if (ByUid.TryGetValue(uid, out var info)) return info;
        var trimmed = uid.TrimEnd('\0', ' ');
        return trimmed.Length != uid.Length && ByUid.TryGetValue(trimmed, out info) ? info : null;
    }

    /// <summary>
    /// SOP classes of the Storage Service Class (PS3.4 Annex B), retired ones included: every SOP class whose
    /// PS3.6 name contains "Storage" (e.g. "CT Image Storage", "Digital X-Ray Image Storage - For Presentation"),
    /// minus Storage Commitment and the DICOMDIR's Media Storage Directory Storage, which are not sent by C-STORE.
    /// This matches dcmtk's dcmAllStorageSOPClassUIDs in spirit; unlike it, the list also includes the trial
    /// (draft) SR classes and newer classes added after dcmtk 3.6.7.
    /// </summary>
    public static IEnumerable<DicomUidInfo> StorageSopClasses => Storage;

    /// <summary>All transfer syntaxes, retired ones included, ordered by UID.</summary>
    public static IReadOnlyList<DicomUidInfo> TransferSyntaxes => Syntaxes;

    /// <summary>True when <paramref name="uid"/> is a storage SOP class as defined by <see cref="StorageSopClasses"/>.</summary>
    public static bool IsStorageSopClass(string uid) => Find(uid) is { } info && IsStorageSopClass(info);

    private static bool IsStorageSopClass(DicomUidInfo info) =>
        info.Type == DicomUidType.SopClass
        && info.Keyword.Contains("Storage", StringComparison.Ordinal)
        && !info.Keyword.StartsWith("StorageCommitment", StringComparison.Ordinal)
        && info.Uid != DicomUids.MediaStorageDirectoryStorage;
}
