using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;

namespace Conduit.Auth;

/// <summary>
/// The HTTP side's authentication and authorization (issue 5; AUTH-DASHBOARD-CONTRACT): the services, and the
/// middleware that every request passes (security headers, who is calling, the policies, CSRF).
/// </summary>
internal static class AuthSetup
{
    public const string CsrfHeader = "X-CSRF-TOKEN";
    public const string CsrfFormField = "__RequestVerificationToken";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    /// <summary>Needs a <see cref="Conduit.Pipeline.Store.SqlAuthStore"/> and a <see cref="TimeProvider"/> registered beside it.</summary>
    public static IServiceCollection AddConduitAuth(this IServiceCollection services, ConduitAuthSettings settings)
    {
        services.AddSingleton(settings).AddSingleton<CredentialChecker>().AddSingleton<LocalOperatorMode>();
        services.AddDataProtection().SetApplicationName("conduit").PersistKeysToFileSystem(KeysDirectory(settings.KeysDirectory));
        services.AddAuthentication(AuthSchemes.Conduit)
            .AddScheme<AuthenticationSchemeOptions, ConduitAuthenticationHandler>(AuthSchemes.Conduit, null)
            .AddCookie(AuthSchemes.Cookie, o =>
            {
                o.Cookie.Name = "conduit.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = SessionLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = LoginEndpoints.LoginPath;
                // The default scheme challenges; should anything challenge the cookie itself, it answers the same way.
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                o.Events.OnValidatePrincipal = SessionValidator.ValidateAsync;
            });
        var viewer = new AuthorizationPolicyBuilder(AuthSchemes.Conduit).RequireAuthenticatedUser().Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(ConduitPolicies.Viewer, viewer)
            .AddPolicy(ConduitPolicies.Operator, p => p.AddAuthenticationSchemes(AuthSchemes.Conduit).RequireAuthenticatedUser().RequireRole(ConduitRoles.Operator))
            .SetDefaultPolicy(viewer)
            .SetFallbackPolicy(viewer);
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.FormFieldName = CsrfFormField;
            o.Cookie.Name = "conduit.csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Framing is refused for every response below (DENY), not only for those that carry a CSRF token.
            o.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    /// <summary>Security headers, authentication, authorization and the CSRF check, then the login routes.</summary>
    public static WebApplication UseConduitAuth(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                // AUTH-DASHBOARD-CONTRACT: no inline script or style, no framing, no sniffing, no referrer.
                headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY"; // frame-ancestors for browsers that predate CSP level 2
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<CsrfMiddleware>();
        app.MapLogin();
        return app;
    }

    private static DirectoryInfo KeysDirectory(string path)
    {
        // The keys sign and encrypt session cookies: only Conduit's own user may read them.
        var directory = Directory.CreateDirectory(path);
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }
}
