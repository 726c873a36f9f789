using System.Numerics;

namespace Conduit.Dicom;

// Typed access: the friendly surface over DicomValueCodec.
public sealed partial class DicomDataset
{
    private DicomElement? Element(DicomTag tag) => GetItem(tag) as DicomElement;

    private DicomElement RequireElement(DicomTag tag) =>
        Element(tag) ?? throw new KeyNotFoundException($"{tag} {DicomDictionary.Find(tag)?.Keyword} is not in the data set.");

    /// <summary>The whole value as text (multiple values keep their backslashes), padding removed.</summary>
    public string GetString(DicomTag tag)
    {
        var e = RequireElement(tag);
        return e.VR.IsString || e.VR == DicomVR.UN
            ? DicomValueCodec.DecodeString(e.VR == DicomVR.UN ? DicomVR.LO : e.VR, e.Buffer.Span, CharacterSet)
            : string.Join('\\', GetStrings(tag));
    }

    public bool TryGetString(DicomTag tag, out string value)
    {
        value = string.Empty;
        if (Element(tag) is null) return false;
        value = GetString(tag);
        return true;
    }

    public string? GetStringOrDefault(DicomTag tag, string? defaultValue = null) =>
        TryGetString(tag, out var v) ? v : defaultValue;

    /// <summary>Every value as text: strings split on backslash, numbers and tags formatted.</summary>
    public IReadOnlyList<string> GetStrings(DicomTag tag)
    {
        var e = RequireElement(tag);
        var span = e.Buffer.Span;
        return e.VR switch
        {
            _ when e.VR.IsString => DicomValueCodec.DecodeStrings(e.VR, span, CharacterSet),
            DicomVR.AT => Array.ConvertAll(DicomValueCodec.DecodeTags(span), t => t.ToString()),
            DicomVR.FL or DicomVR.OF => Array.ConvertAll(DicomValueCodec.DecodeNumbers<float>(e.VR, span), v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            DicomVR.FD or DicomVR.OD => Array.ConvertAll(DicomValueCodec.DecodeNumbers<double>(e.VR, span), v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.SV or DicomVR.UV =>
                Array.ConvertAll(DicomValueCodec.DecodeNumbers<Int128>(e.VR, span), v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new InvalidOperationException($"{tag} has VR {e.VR.Code}, which is binary: use GetBytes."),
        };
    }

    /// <summary>The values as numbers: binary VRs directly, IS and DS parsed as decimal text.</summary>
    public T[] GetValues<T>(DicomTag tag) where T : INumber<T> =>
        DicomValueCodec.DecodeNumbers<T>(RequireElement(tag).VR, RequireElement(tag).Buffer.Span);

    public T GetValue<T>(DicomTag tag, int index = 0) where T : INumber<T>
    {
        var values = GetValues<T>(tag);
        if (index >= values.Length)
            throw new InvalidOperationException($"{tag} has {values.Length} value(s); value {index + 1} was asked for.");
        return values[index];
    }

    public bool TryGetValue<T>(DicomTag tag, out T value, int index = 0) where T : INumber<T>
    {
        value = T.Zero;
        if (Element(tag) is null) return false;
        try
        {
            var values = GetValues<T>(tag);
            if (index >= values.Length) return false;
            value = values[index];
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException)
        {
            return false;
        }
    }

    public T GetValueOrDefault<T>(DicomTag tag, T defaultValue, int index = 0) where T : INumber<T> =>
        TryGetValue<T>(tag, out var v, index) ? v : defaultValue;

    public DicomTag[] GetTags(DicomTag tag) => DicomValueCodec.DecodeTags(RequireElement(tag).Buffer.Span);

    /// <summary>The raw value bytes (little-endian), loading a lazy value.</summary>
    public ReadOnlyMemory<byte> GetBytes(DicomTag tag) => RequireElement(tag).Buffer.Memory;

    public DicomPersonName GetPersonName(DicomTag tag) => DicomPersonName.Parse(GetString(tag));

    public DateOnly GetDate(DicomTag tag) => DicomDateTimeParser.ParseDate(GetString(tag));
    public TimeOnly GetTime(DicomTag tag) => DicomDateTimeParser.ParseTime(GetString(tag));
    public DateTimeOffset GetDateTime(DicomTag tag) => DicomDateTimeParser.ParseDateTime(GetString(tag));

    // ---- writing ----

    private static DicomVR DefaultVR(DicomTag tag) =>
        DicomDictionary.Find(tag)?.VR is { } vr and not DicomVR.UN
            ? vr
            : throw new ArgumentException($"{tag} is not in the dictionary: give its VR explicitly.");

    /// <summary>Sets string values, with the VR from the dictionary.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) => AddOrUpdate(tag, DefaultVR(tag), values);

    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        if (vr is DicomVR.SQ) throw new ArgumentException("Use Add(new DicomSequence(...)) for sequences.");
        if (!vr.IsString)
        {
            var numbers = values.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return AddOrUpdate(tag, vr, numbers);
        }
        // Set the character set first so that the new value is encoded with it.
        var element = new DicomElement(tag, vr, DicomBuffer.From(DicomValueCodec.EncodeStrings(vr, values, CharacterSet)));
        return Add(element);
    }

    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values) where T : INumber<T> =>
        Add(new DicomElement(tag, vr, DicomBuffer.From(DicomValueCodec.EncodeNumbers(vr, values))));

    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) =>
        Add(new DicomElement(tag, vr, DicomBuffer.From(bytes)));

    public DicomDataset AddOrUpdate(DicomTag tag, params DicomTag[] tags) =>
        Add(new DicomElement(tag, DicomVR.AT, DicomBuffer.From(DicomValueCodec.EncodeTags(tags))));
}
