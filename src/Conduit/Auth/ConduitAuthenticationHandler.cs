using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conduit.Auth;

/// <summary>
/// The default scheme. An <c>Authorization</c> header decides alone: <c>Bearer TOKEN</c> (RFC 6750), or <c>Basic</c>
/// (RFC 7617) with a user's password or, under any user name, a token as the password (DICOMweb clients such as
/// Orthanc's plugin only send Basic). Without one, the sign-in cookie; without that, the local operator when that
/// mode is on. The challenge follows AUTH-DASHBOARD-CONTRACT: a GET that accepts text/html is sent to the login page,
/// everything else gets 401.
/// </summary>
internal sealed class ConduitAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder,
    CredentialChecker credentials, LocalOperatorMode localOperator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string Realm = "Conduit";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var remote = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var cancellationToken = Context.RequestAborted;
        if (Request.Headers.Authorization.Count > 0)
        {
            if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization.ToString(), out var header) || header.Parameter is null)
                return AuthenticateResult.Fail("unreadable Authorization header");
            if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                var principal = await credentials.CheckTokenAsync(header.Parameter, "", AuthSchemes.ViaBearer, remote, cancellationToken);
                return principal is null ? AuthenticateResult.Fail("unknown or revoked token") : Success(principal);
            }
            if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryReadBasic(header.Parameter, out var user, out var password)) return AuthenticateResult.Fail("unreadable Basic credentials");
                var principal = ApiTokens.LooksLikeToken(password)
                    ? await credentials.CheckTokenAsync(password, user, AuthSchemes.ViaBasic, remote, cancellationToken)
                    : await credentials.CheckPasswordAsync(user, password, AuthSchemes.ViaBasic, remote, cancellationToken);
                return principal is null ? AuthenticateResult.Fail("wrong user name or password") : Success(principal);
            }
            return AuthenticateResult.Fail($"unsupported authorization scheme '{header.Scheme}'");
        }

        var cookie = await Context.AuthenticateAsync(AuthSchemes.Cookie);
        if (cookie.Succeeded) return Success(cookie.Principal);
        if (await localOperator.AppliesAsync(Context, cancellationToken))
            return Success(AuthSchemes.Principal(LocalOperatorMode.UserName, ConduitRoles.Operator, "local", AuthSchemes.ViaLocal));
        return AuthenticateResult.NoResult();
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Headers.Authorization.Count == 0 && WantsPage(Request))
        {
            Response.Redirect(LoginEndpoints.LoginUrl(Request.PathBase + Request.Path + Request.QueryString));
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // A Basic challenge makes a browser pop its own login dialog; scripts and DICOMweb clients need it to know
        // what to send. Browsers announce themselves with Fetch Metadata headers (Sec-Fetch-Mode).
        Response.Headers.WWWAuthenticate = Request.Headers.ContainsKey("Sec-Fetch-Mode")
            ? $"Bearer realm=\"{Realm}\""
            : new[] { $"Bearer realm=\"{Realm}\"", $"Basic realm=\"{Realm}\", charset=\"UTF-8\"" };
        return Task.CompletedTask;
    }

    /// <summary>Only a GET (or HEAD) whose Accept includes text/html goes to the login page (AUTH-DASHBOARD-CONTRACT).</summary>
    private static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private AuthenticateResult Success(System.Security.Claims.ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));

    /// <summary>RFC 7617 §2: base64 of "user-id:password", UTF-8; the user id cannot contain a colon.</summary>
    private static bool TryReadBasic(string parameter, out string user, out string password)
    {
        user = password = "";
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(parameter));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return false;
        (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        return true;
    }
}
