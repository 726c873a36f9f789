using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Conduit.Auth;

/// <summary>
/// The login page, logout and the session endpoint (AUTH-DASHBOARD-CONTRACT): <c>GET/POST /login</c> (anonymous, with
/// its stylesheet <c>/login.css</c>), <c>POST /logout</c>, <c>GET /api/v1/session</c>.
/// </summary>
internal static class LoginEndpoints
{
    public const string LoginPath = "/login";
    public const string StylesheetPath = "/login.css";
    public const string SessionPath = "/api/v1/session";

    public static string LoginUrl(string returnUrl) => $"{LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet(LoginPath, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            LoginPage.Render(StatusCodes.Status200OK, antiforgery.GetAndStoreTokens(context).RequestToken!, LocalOrRoot(returnUrl), "", error: null))
            .AllowAnonymous();
        // The form's CSRF field is checked by SignInAsync itself (it answers with the page, not a bare 400).
        app.MapPost(LoginPath, SignInAsync).AllowAnonymous();
        app.MapGet(StylesheetPath, () => Results.Text(LoginPage.Stylesheet, "text/css; charset=utf-8")).AllowAnonymous();
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(AuthSchemes.Cookie);
            return Results.Redirect(LoginPath);
        });
        app.MapGet(SessionPath, (HttpContext context, IAntiforgery antiforgery) => TypedResults.Ok(new SessionInfo(
            context.User.Identity!.Name!,
            AuthSchemes.Role(context.User),
            antiforgery.GetAndStoreTokens(context).RequestToken!,
            AuthSchemes.Via(context.User) != AuthSchemes.ViaLocal)));
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, CredentialChecker credentials, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
            return LoginPage.Render(StatusCodes.Status400BadRequest, antiforgery.GetAndStoreTokens(context).RequestToken!, "/", "", "Send the sign-in form");
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var returnUrl = LocalOrRoot(form["returnUrl"]);
        var userName = form["username"].ToString().Trim();
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return LoginPage.Render(StatusCodes.Status400BadRequest, antiforgery.GetAndStoreTokens(context).RequestToken!, returnUrl, userName,
                "The form expired; please sign in again");
        }
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var principal = await credentials.CheckPasswordAsync(userName, form["password"].ToString(), AuthSchemes.ViaCookie, remote, cancellationToken);
        if (principal is null)
        {
            return LoginPage.Render(StatusCodes.Status401Unauthorized, antiforgery.GetAndStoreTokens(context).RequestToken!, returnUrl, userName,
                "Wrong user name or password");
        }
        await context.SignInAsync(AuthSchemes.Cookie, principal, new AuthenticationProperties { IsPersistent = false });
        return Results.Redirect(returnUrl);
    }

    /// <summary>Only a path on this server (not "//host" or "/\host", which browsers read as another host) is a return URL.</summary>
    internal static string LocalOrRoot(string? url) =>
        url is { Length: > 0 } u && u[0] == '/' && (u.Length == 1 || (u[1] != '/' && u[1] != '\\')) && !u.Any(char.IsControl) ? u : "/";

    /// <summary>The answer of <c>GET /api/v1/session</c>.</summary>
    internal sealed record SessionInfo(string User, string Role, string CsrfToken, bool AuthRequired);
}
