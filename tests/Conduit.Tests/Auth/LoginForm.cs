using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conduit.Tests.Auth;

/// <summary>Signs in through the login page as a browser does: GET /login for the form's CSRF field, POST the form.</summary>
internal static partial class LoginForm
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string user, string password, string returnUrl = "/")
    {
        var page = await browser.GetStringAsync("/login");
        var token = WebUtility.HtmlDecode(CsrfField().Match(page).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(token), $"no CSRF field in the login page:\n{page}");
        return await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["username"] = user,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }));
    }

    /// <summary>GET /api/v1/session, required to answer 200.</summary>
    public static async Task<JsonElement> SessionAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/session");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/v1/session: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
