namespace Conduit.Dashboard;

/// <summary>
/// The dashboard's pages (<see cref="DashboardPage.All"/>) and its files under <c>/assets/</c>. A page is one HTML shell
/// naming its script module; the modules fetch the JSON API and listen to <c>/api/v1/events</c> for changes.
/// </summary>
internal static class DashboardRoutes
{
    public static WebApplication MapDashboard(this WebApplication app)
    {
        var assets = DashboardAssets.Load();
        foreach (var page in DashboardPage.All)
            app.MapGet(page.Route, (HttpContext context) => assets.Page(context, page)).WithName("dashboard:" + page.Module);
        app.MapGet("/assets/{**path}", (HttpContext context, string path) => assets.Asset(context, path));
        return app;
    }
}
