using System.Text;

namespace Conduit.Dicom.Text;

/// <summary>The table of supported Defined Terms and the tolerant spelling normalisation.</summary>
internal static class CharacterSetTerms
{
    public static readonly CharacterSetTerm IsoIr6 = new("ISO_IR 6", false, CodeElements.Ascii, CodeElements.Latin1);
    public static readonly CharacterSetTerm Iso2022Ir6 = new("ISO 2022 IR 6", true, CodeElements.Ascii, null);
    public static readonly CharacterSetTerm IsoIr100 = new("ISO_IR 100", false, CodeElements.Ascii, CodeElements.Latin1);
    public static readonly CharacterSetTerm Iso2022Ir100 = new("ISO 2022 IR 100", true, CodeElements.Ascii, CodeElements.Latin1);

    private static readonly Dictionary<string, CharacterSetTerm> ByCompactName = Build();

    /// <summary>The ISO 2022 twin of a single-byte term without code extensions ("ISO_IR 100" → "ISO 2022 IR 100").</summary>
    public static CharacterSetTerm? Iso2022Twin(CharacterSetTerm term) =>
        term.IsIso2022 || term.IsWhole ? null : ByCompactName.GetValueOrDefault(Compact(term.Name).Replace("ISOIR", "ISO2022IR", StringComparison.Ordinal));

    /// <summary>Looks a term up by exact or near spelling; <paramref name="exact"/> tells whether the spelling was canonical.</summary>
    public static CharacterSetTerm? Find(string trimmed, out bool exact)
    {
        var compact = Compact(trimmed);
        if (ByCompactName.TryGetValue(compact, out var term))
        {
            exact = string.Equals(term.Name, trimmed, StringComparison.Ordinal);
            return term;
        }
        exact = false;
        return null;
    }

    /// <summary>Upper case with spaces, '_' and '-' removed: "iso-ir 100", "ISO_IR100" → "ISOIR100".</summary>
    private static string Compact(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is not (' ' or '_' or '-'))
                sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }

    private static Dictionary<string, CharacterSetTerm> Build()
    {
        var terms = new List<CharacterSetTerm>
        {
            IsoIr6, Iso2022Ir6, IsoIr100, Iso2022Ir100,
            new("ISO_IR 192", false, null, null, 65001),
            new("GB18030", false, null, null, 54936),
            new("GBK", false, null, null, 936),
            new("ISO 2022 IR 87", true, CodeElements.JisX0208, null),
            new("ISO 2022 IR 159", true, CodeElements.JisX0212, null),
            new("ISO 2022 IR 149", true, null, CodeElements.KsX1001),
            new("ISO 2022 IR 58", true, null, CodeElements.Gb2312),
            new("ISO_IR 13", false, CodeElements.JisRomaji, CodeElements.JisKatakana),
            new("ISO 2022 IR 13", true, CodeElements.JisRomaji, CodeElements.JisKatakana),
        };
        (string Number, CodeElement G1)[] latin =
        [
            ("101", CodeElements.Latin2), ("109", CodeElements.Latin3), ("110", CodeElements.Latin4),
            ("144", CodeElements.Cyrillic), ("127", CodeElements.Arabic), ("126", CodeElements.Greek),
            ("138", CodeElements.Hebrew), ("148", CodeElements.Latin5), ("203", CodeElements.Latin9),
            ("166", CodeElements.Thai),
        ];
        foreach (var (number, g1) in latin)
        {
            terms.Add(new("ISO_IR " + number, false, CodeElements.Ascii, g1));
            terms.Add(new("ISO 2022 IR " + number, true, CodeElements.Ascii, g1));
        }

        var map = terms.ToDictionary(t => Compact(t.Name), StringComparer.Ordinal);
        // Common non-DICOM spellings seen in the wild (always reported through the warning callback).
        map["UTF8"] = map["ISOIR192"];
        map["ISO88591"] = map["ISOIR100"];
        map["ISO88592"] = map["ISOIR101"];
        map["ISO88593"] = map["ISOIR109"];
        map["ISO88594"] = map["ISOIR110"];
        map["ISO88595"] = map["ISOIR144"];
        map["ISO88596"] = map["ISOIR127"];
        map["ISO88597"] = map["ISOIR126"];
        map["ISO88598"] = map["ISOIR138"];
        map["ISO88599"] = map["ISOIR148"];
        map["ISO885915"] = map["ISOIR203"];
        map["TIS620"] = map["ISOIR166"];
        return map;
    }
}
