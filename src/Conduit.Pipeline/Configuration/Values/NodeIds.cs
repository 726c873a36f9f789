namespace Conduit.Pipeline.Configuration.Values;

/// <summary>
/// Node ids (<c>node.id</c>): what several nodes on one database tell each other apart by. Kept to letters, digits,
/// '.', '_' and '-' because the id prefixes lease owners as <c>node/worker</c>, labels containers and names a broker
/// connection, and a host name fits.
/// </summary>
public static class NodeIds
{
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="id"/> is a valid node id, else why not.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "a node id may not be empty";
        if (id.Length > MaxLength) return $"'{id}' is longer than {MaxLength} characters";
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return $"'{id}' contains '{c}'; a node id has letters, digits, '.', '_' and '-' only";
        }
        return null;
    }
}
