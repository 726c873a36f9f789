using Microsoft.AspNetCore.Antiforgery;

namespace Conduit.Auth;

/// <summary>
/// CSRF (AUTH-DASHBOARD-CONTRACT): an unsafe request (POST, PUT, PATCH, DELETE) authenticated by the sign-in cookie
/// must carry the session's token in <c>X-CSRF-TOKEN</c> (a small form may carry it as a field instead, as the logout
/// form does). Bearer and Basic carry no ambient browser credential and are exempt. The local operator is ambient like
/// a cookie, so a browser's request in that mode (it sends Origin or Sec-Fetch-Site) needs the token too.
/// </summary>
internal sealed class CsrfMiddleware(RequestDelegate next, IAntiforgery antiforgery)
{
    private const long MaxFormForToken = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!NeedsToken(context))
        {
            await next(context);
            return;
        }
        var request = context.Request;
        var hasHeader = request.Headers.ContainsKey(AuthSetup.CsrfHeader);
        // Never read a large body (an upload) to look for a form field.
        var smallForm = request.HasFormContentType && request.ContentLength is <= MaxFormForToken;
        if (hasHeader || smallForm)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
                await next(context);
                return;
            }
            catch (AntiforgeryValidationException)
            {
                // Refused below.
            }
        }
        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Missing or invalid CSRF token",
            detail: $"Requests signed in by the session cookie must send the csrfToken of GET /api/v1/session in the {AuthSetup.CsrfHeader} header.")
            .ExecuteAsync(context);
    }

    private static bool NeedsToken(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)) return false;
        return AuthSchemes.Via(context.User) switch
        {
            AuthSchemes.ViaCookie => true,
            AuthSchemes.ViaLocal => context.Request.Headers.ContainsKey("Origin") || context.Request.Headers.ContainsKey("Sec-Fetch-Site"),
            _ => false,
        };
    }
}
