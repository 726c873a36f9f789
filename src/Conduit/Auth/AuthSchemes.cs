using System.Security.Claims;

namespace Conduit.Auth;

/// <summary>Scheme names, and how a principal says what authenticated it (its identity's authentication type).</summary>
internal static class AuthSchemes
{
    /// <summary>The default scheme: Bearer or Basic when an Authorization header is sent, else the cookie, else the local operator.</summary>
    public const string Conduit = "Conduit";

    /// <summary>The sign-in cookie the login page issues.</summary>
    public const string Cookie = "ConduitCookie";

    // Authentication types of the identities (ClaimsIdentity.AuthenticationType).
    public const string ViaCookie = "cookie";
    public const string ViaBearer = "bearer";
    public const string ViaBasic = "basic";
    public const string ViaLocal = "local";

    /// <summary>Claim: "user" or "token", what the name in the principal refers to.</summary>
    public const string KindClaim = "conduit:kind";

    /// <summary>Claim of a cookie principal: the user's password_changed_at when the cookie was issued; a later change ends the session.</summary>
    public const string PasswordStampClaim = "conduit:pwstamp";

    public static ClaimsPrincipal Principal(string name, string role, string kind, string via, params Claim[] extra)
    {
        var identity = new ClaimsIdentity(via, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(ClaimTypes.Role, role));
        identity.AddClaim(new Claim(KindClaim, kind));
        identity.AddClaims(extra);
        return new ClaimsPrincipal(identity);
    }

    public static string? Via(ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true } identity ? identity.AuthenticationType : null;

    public static string Role(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? ConduitRoles.Viewer;
}
