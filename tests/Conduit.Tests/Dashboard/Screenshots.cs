namespace Conduit.Tests.Dashboard;

/// <summary>
/// Where the browser tests put their screenshots: <c>artifacts/screenshots/</c> at the repository root (ignored by
/// git; test.sh prints the folder at the end).
/// </summary>
internal static class Screenshots
{
    public static string Directory { get; } = Find();

    public static string PathFor(string name) => System.IO.Path.Combine(Directory, name + ".png");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Conduit.slnx")))
                return System.IO.Directory.CreateDirectory(System.IO.Path.Combine(dir.FullName, "artifacts", "screenshots")).FullName;
        }
        return System.IO.Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "conduit-screenshots")).FullName;
    }
}
