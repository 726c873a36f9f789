using System.Net.Http.Headers;
using System.Text;
using Conduit.Pipeline.Flows.Model;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// A flow's DICOMweb <c>auth:</c> turned into an Authorization header, reading secrets from the environment when the
/// flow names a variable (so they need not sit in the flow file). Read at each delivery attempt: a corrected variable
/// counts after a restart without editing the flow.
/// </summary>
public static class DicomWebCredentials
{
    /// <summary>The header (null for none) and its description without the secret, or a problem that stops delivery.</summary>
    public static (AuthenticationHeaderValue? Header, string Description, string? Problem) Resolve(DicomWebAuth auth, Func<string, string?> environment)
    {
        switch (auth.Kind)
        {
            case DicomWebAuthKind.Basic:
            {
                var description = $"basic auth as user '{auth.Username}'";
                var (password, problem) = Secret(auth.Password, auth.PasswordEnvironmentVariable, "password_env", environment);
                if (problem is not null) return (null, description, problem);
                // RFC 7617 §2: base64 of user-id ":" password, in UTF-8.
                var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{auth.Username}:{password}"));
                return (new AuthenticationHeaderValue("Basic", token), description, null);
            }
            case DicomWebAuthKind.Bearer:
            {
                var (token, problem) = Secret(auth.Token, auth.TokenEnvironmentVariable, "token_env", environment);
                if (problem is not null) return (null, "a bearer token", problem);
                // RFC 6750 §2.1.
                return (new AuthenticationHeaderValue("Bearer", token), "a bearer token", null);
            }
            default:
                return (null, "a request without credentials", null);
        }
    }

    private static (string? Value, string? Problem) Secret(string? inline, string? variable, string key, Func<string, string?> environment)
    {
        if (variable is null) return (inline ?? "", null);
        var value = environment(variable);
        return string.IsNullOrEmpty(value)
            ? (null, $"environment variable {variable} (the destination's {key}) is not set in conduit's environment; set it and restart, then retry the job")
            : (value, null);
    }
}
