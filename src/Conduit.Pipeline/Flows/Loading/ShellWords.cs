using System.Text;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>
/// Splits a command written as one string into argv the way a POSIX shell (and docker-py's shlex) does:
/// whitespace separates words, single quotes keep text literally, double quotes allow \" and \\, a backslash outside
/// quotes escapes the next character. No variables, globs or pipes: use <c>sh -c '…'</c> for those.
/// </summary>
public static class ShellWords
{
    /// <summary>The words, or null with <paramref name="error"/> when a quote is not closed.</summary>
    public static IReadOnlyList<string>? Split(string command, out string? error)
    {
        error = null;
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < command.Length)
        {
            var c = command[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                if (end < 0) { error = "a single quote is not closed"; return null; }
                current.Append(command, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                i++;
                while (true)
                {
                    if (i >= command.Length) { error = "a double quote is not closed"; return null; }
                    var d = command[i];
                    if (d == '"') { i++; break; }
                    if (d == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`') { current.Append(command[i + 1]); i += 2; continue; }
                    current.Append(d);
                    i++;
                }
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                current.Append(command[i + 1]);
                i += 2;
            }
            else
            {
                current.Append(c);
                i++;
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
