using System.Text;

namespace Conduit.Commands;

/// <summary>
/// A new password for <c>conduit user add/passwd</c>: typed twice at a prompt that does not echo, or read as the first
/// line of standard input (<c>--password-stdin</c>, for scripts; never an argument, which <c>ps</c> would show).
/// </summary>
internal static class PasswordInput
{
    public const int MinLength = 8;

    /// <summary>The password, or null after printing why there is none.</summary>
    public static string? Read(bool fromStdin)
    {
        string? password;
        if (fromStdin)
        {
            password = Console.In.ReadLine();
            if (password is null)
            {
                Console.Error.WriteLine("error: --password-stdin: standard input was empty");
                return null;
            }
        }
        else
        {
            if (Console.IsInputRedirected)
            {
                Console.Error.WriteLine("error: no terminal to ask for the password on; pipe it in with --password-stdin");
                return null;
            }
            password = Prompt("Password: ");
            if (Prompt("Password again: ") != password)
            {
                Console.Error.WriteLine("error: the two passwords differ");
                return null;
            }
        }
        if (password.Length < MinLength)
        {
            Console.Error.WriteLine($"error: the password must have at least {MinLength} characters");
            return null;
        }
        return password;
    }

    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
