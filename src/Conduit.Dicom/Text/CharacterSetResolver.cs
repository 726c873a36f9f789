using System.Globalization;

namespace Conduit.Dicom.Text;

/// <summary>
/// Turns the raw values of Specific Character Set (0008,0005) into a list of known terms, tolerating the usual
/// mistakes and reporting each one as a warning.
/// </summary>
internal static class CharacterSetResolver
{
    public static List<CharacterSetTerm> Resolve(IReadOnlyList<string> values, List<string> warnings)
    {
        var terms = new List<CharacterSetTerm>(values.Count);
        var firstMissing = false;   // value 1 empty: the default repertoire
        var firstUnknown = false;   // value 1 not recognised: read as Latin-1
        for (var index = 0; index < values.Count; index++)
        {
            var raw = values[index] ?? string.Empty;
            var trimmed = raw.Trim().Trim('\0').Trim();
            var number = index + 1;
            if (trimmed.Length == 0)
            {
                if (index == 0)
                    firstMissing = true;
                else
                    warnings.Add(Format("Specific Character Set value {0} is empty and was ignored.", number));
                continue;
            }

            var term = CharacterSetTerms.Find(trimmed, out var exact);
            if (term is null)
            {
                if (index == 0)
                {
                    firstUnknown = true;
                    warnings.Add(Format("Unknown Specific Character Set \"{0}\" (value 1); text is read as ISO_IR 100 (Latin-1).", trimmed));
                }
                else
                {
                    warnings.Add(Format("Unknown Specific Character Set \"{0}\" (value {1}) was ignored.", trimmed, number));
                }
                continue;
            }
            if (!exact)
                warnings.Add(Format("Non-standard Specific Character Set spelling \"{0}\" read as \"{1}\".", trimmed, term.Name));
            if (terms.Contains(term))
                continue;
            terms.Add(term);
        }

        var whole = terms.Find(t => t.IsWhole);
        if (whole is not null)
        {
            if (terms.Count > 1 || firstMissing || firstUnknown)
                warnings.Add(Format("{0} does not allow code extensions; the other Specific Character Set values were ignored.", whole.Name));
            return [whole];
        }

        var extended = terms.Count + (firstMissing || firstUnknown ? 1 : 0) > 1 || terms.Exists(t => t.IsIso2022);
        if (!extended)
        {
            if (terms.Count == 1)
                return terms;
            return [firstUnknown ? CharacterSetTerms.IsoIr100 : CharacterSetTerms.IsoIr6];
        }

        // Code extensions: every term must be an ISO 2022 one.
        for (var i = 0; i < terms.Count; i++)
        {
            if (terms[i].IsIso2022)
                continue;
            var twin = CharacterSetTerms.Iso2022Twin(terms[i])!;
            warnings.Add(Format("\"{0}\" used with code extensions; read as \"{1}\".", terms[i].Name, twin.Name));
            terms[i] = twin;
        }
        if (firstMissing)
            terms.Insert(0, CharacterSetTerms.Iso2022Ir6);
        else if (firstUnknown)
            terms.Insert(0, CharacterSetTerms.Iso2022Ir100);
        else if (terms[0].IsMultiByteExtension)
            warnings.Add(Format("\"{0}\" is not allowed as Specific Character Set value 1; ASCII is assumed for G0.", terms[0].Name));

        // Remove duplicates the twin conversion may have created, keeping the first.
        var distinct = new List<CharacterSetTerm>(terms.Count);
        foreach (var term in terms)
        {
            if (!distinct.Contains(term))
                distinct.Add(term);
        }
        return distinct;
    }

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
