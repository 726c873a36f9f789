namespace Conduit.Dicom.Network.Dimse;

/// <summary>
/// UID syntax (PS3.5 §9.1): digits and dots, at most 64 characters, no empty component. Checked before a UID from
/// the wire becomes a file name, so a hostile "../" or "/" can never escape the output directory. Components with
/// a leading zero, which PS3.5 forbids but devices do send, are tolerated: they are harmless in a path.
/// </summary>
public static class DicomUidValidator
{
    public static bool IsValid(string? uid)
    {
        if (uid is null || uid.Length is 0 or > 64 || uid[0] == '.' || uid[^1] == '.') return false;
        var previousDot = false;
        foreach (var c in uid)
        {
            if (c == '.')
            {
                if (previousDot) return false;
                previousDot = true;
            }
            else if (c is >= '0' and <= '9') previousDot = false;
            else return false;
        }
        return true;
    }
}
