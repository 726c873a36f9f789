using System.Net;

namespace Conduit.Auth;

/// <summary>
/// The login page's HTML and stylesheet. No inline script or style (the Content-Security-Policy forbids both); every
/// value put in the page is HTML-encoded. Element ids are part of AUTH-DASHBOARD-CONTRACT: <c>#username</c>,
/// <c>#password</c>, <c>#login-submit</c>, <c>#login-error</c>.
/// </summary>
internal static class LoginPage
{
    public static IResult Render(int statusCode, string csrfToken, string returnUrl, string userName, string? error)
    {
        var errorHtml = error is null ? "" : $"""
                <p id="login-error" class="error" role="alert">{WebUtility.HtmlEncode(error)}</p>

            """;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sign in · Conduit</title>
              <link rel="stylesheet" href="{LoginEndpoints.StylesheetPath}">
            </head>
            <body>
              <main class="login">
                <h1>Conduit</h1>
            {errorHtml}    <form method="post" action="{LoginEndpoints.LoginPath}">
                  <input type="hidden" name="{AuthSetup.CsrfFormField}" value="{WebUtility.HtmlEncode(csrfToken)}">
                  <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
                  <label for="username">User name</label>
                  <input id="username" name="username" type="text" autocomplete="username" required autofocus value="{WebUtility.HtmlEncode(userName)}">
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button id="login-submit" type="submit">Sign in</button>
                </form>
              </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }

    public const string Stylesheet = """
        body { margin: 0; font-family: system-ui, sans-serif; background: #f3f4f6; color: #111827; }
        .login { max-width: 22rem; margin: 12vh auto; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
        .login h1 { margin: 0 0 1.5rem; font-size: 1.5rem; }
        .login form { display: flex; flex-direction: column; gap: .5rem; }
        .login input { padding: .5rem; font-size: 1rem; border: 1px solid #d1d5db; border-radius: 4px; }
        .login button { margin-top: 1rem; padding: .6rem; font-size: 1rem; color: #fff; background: #1d4ed8; border: 0; border-radius: 4px; cursor: pointer; }
        .error { margin: 0 0 1rem; padding: .6rem; color: #991b1b; background: #fee2e2; border-radius: 4px; }
        """;
}
