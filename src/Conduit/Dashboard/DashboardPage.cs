namespace Conduit.Dashboard;

/// <summary>One dashboard page: its route, the script module that builds it (<c>/assets/pages/{Module}.js</c>) and its title.</summary>
internal sealed record DashboardPage(string Route, string Module, string Title)
{
    /// <summary>The pages, as agreed with authentication (all behind its fallback policy).</summary>
    public static readonly IReadOnlyList<DashboardPage> All =
    [
        new("/", "overview", "Overview"),
        new("/associations", "associations", "Live associations"),
        new("/studies", "studies", "Studies and series"),
        new("/jobs", "jobs", "Jobs"),
        new("/jobs/{id}", "job", "Job"),
        new("/flows", "flows", "Flows"),
        new("/destinations", "destinations", "Destinations"),
        new("/folders", "folders", "Folder batches"),
    ];
}
