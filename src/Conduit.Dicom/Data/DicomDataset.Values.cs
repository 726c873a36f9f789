using System.Numerics;

namespace Conduit.Dicom;

// Typed access: the friendly surface over DicomValueCodec.
public sealed partial class DicomDataset
{
    private DicomElement? Element(DicomTag tag) => GetItem(tag) as DicomElement;

    private DicomElement RequireElement(DicomTag tag) =>
        Element(tag) ?? throw new KeyNotFoundException($"{tag} {DicomDictionary.Find(tag)?.Keyword} is not in the data set.");

    /// <summary>The whole value as text (multiple values keep their backslashes), each value's padding removed.</summary>
    public string GetString(DicomTag tag)
    {
        var e = RequireElement(tag);
        if (e.VR == DicomVR.UN) return DicomValueCodec.DecodeString(DicomVR.LO, e.Buffer.Span, CharacterSet);
        // Joining the trimmed values keeps GetString and GetStrings agreeing on what padding is (PS3.5 §6.2).
        return string.Join('\\', GetStrings(tag));
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
            DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.SV or DicomVR.UV or DicomVR.OW or DicomVR.OL or DicomVR.OV =>
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
        if (vr == DicomVR.AT) return AddOrUpdate(tag, Array.ConvertAll(values, DicomTag.Parse));
        if (!vr.IsString)
        {
            // Integers go through Int128 so that 64-bit SV and UV text keeps every digit (a double holds only 53 bits).
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            return vr is DicomVR.FL or DicomVR.FD or DicomVR.OF or DicomVR.OD
                ? AddOrUpdate(tag, vr, Array.ConvertAll(values, v => double.Parse(v, invariant)))
                : AddOrUpdate(tag, vr, Array.ConvertAll(values, v => Int128.Parse(v, invariant)));
        }
        // Set the character set first so that the new value is encoded with it.
        var element = new DicomElement(tag, vr, DicomBuffer.From(DicomValueCodec.EncodeStrings(vr, values, CharacterSet)));
        return Add(element);
    }

    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values) where T : INumber<T> =>
        Add(new DicomElement(tag, vr, DicomBuffer.From(DicomValueCodec.EncodeNumbers(vr, values))));

    /// <summary>Sets the raw value bytes (little-endian, padding included), whatever the VR.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) =>
        Add(new DicomElement(tag, vr, DicomBuffer.From(bytes)));

    // Without this overload a byte[] binds to AddOrUpdate<byte>(params byte[]) and each byte becomes one value,
    // so raw OW, OF or text bytes would be re-encoded as numbers.
    /// <inheritdoc cref="AddOrUpdate(DicomTag, DicomVR, ReadOnlyMemory{byte})"/>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, byte[] bytes) => AddOrUpdate(tag, vr, bytes.AsMemory());

    public DicomDataset AddOrUpdate(DicomTag tag, params DicomTag[] tags) =>
        Add(new DicomElement(tag, DicomVR.AT, DicomBuffer.From(DicomValueCodec.EncodeTags(tags))));
}
