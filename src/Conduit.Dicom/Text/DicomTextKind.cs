namespace Conduit.Dicom.Text;

/// <summary>
/// How a text value is structured, which decides the delimiters that end a run of code-extended
/// characters (PS3.5 §6.1.2.5.3): after a delimiter the initial character set is active again.
/// </summary>
public enum DicomTextKind
{
    /// <summary>LO, SH, UC, CS, AE and similar: '\' separates values; CR, LF, FF and TAB also reset.</summary>
    MultiValued,

    /// <summary>PN: '\' separates values, '=' component groups and '^' components; CR, LF, FF and TAB also reset.</summary>
    PersonName,

    /// <summary>LT, ST, UT, UR: one value, '\' is an ordinary character; only CR, LF, FF and TAB reset.</summary>
    SingleValued,
}
