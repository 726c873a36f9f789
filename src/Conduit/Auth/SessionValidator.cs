using System.Security.Claims;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Conduit.Auth;

/// <summary>
/// Each cookie-authenticated request checks the user in the store: a removed user, or one whose password changed
/// since the cookie was issued, is signed out; a changed role applies at once.
/// </summary>
internal static class SessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var name = principal?.Identity?.Name;
        var store = context.HttpContext.RequestServices.GetRequiredService<SqlAuthStore>();
        var user = name is null ? null : await store.FindUserAsync(name, context.HttpContext.RequestAborted);
        if (principal is null || user is null || principal.FindFirstValue(AuthSchemes.PasswordStampClaim) != UtcTime.ToText(user.PasswordChangedAt))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
            return;
        }
        if (AuthSchemes.Role(principal) != user.Role)
        {
            context.ReplacePrincipal(AuthSchemes.Principal(user.Name, user.Role, "user", AuthSchemes.ViaCookie,
                new Claim(AuthSchemes.PasswordStampClaim, UtcTime.ToText(user.PasswordChangedAt))));
            context.ShouldRenew = true;
        }
    }
}
