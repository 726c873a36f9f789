namespace Conduit.Dicom;

/// <summary>A PN value: up to three component groups (alphabetic, ideographic, phonetic), each of five components (PS3.5 §6.2.1).</summary>
public sealed record DicomPersonName(string Alphabetic, string Ideographic = "", string Phonetic = "")
{
    private string Component(int i)
    {
        var parts = Alphabetic.Split('^');
        return i < parts.Length ? parts[i] : string.Empty;
    }

    public string FamilyName => Component(0);
    public string GivenName => Component(1);
    public string MiddleName => Component(2);
    public string Prefix => Component(3);
    public string Suffix => Component(4);

    public static DicomPersonName Parse(string value)
    {
        var groups = value.Split('=');
        return new DicomPersonName(
            groups[0],
            groups.Length > 1 ? groups[1] : string.Empty,
            groups.Length > 2 ? groups[2] : string.Empty);
    }

    public override string ToString()
    {
        if (Phonetic.Length > 0) return $"{Alphabetic}={Ideographic}={Phonetic}";
        if (Ideographic.Length > 0) return $"{Alphabetic}={Ideographic}";
        return Alphabetic;
    }
}
