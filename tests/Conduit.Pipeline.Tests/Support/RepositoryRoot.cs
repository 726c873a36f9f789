namespace Conduit.Pipeline.Tests.Support;

/// <summary>The repository checkout the tests were built from (the folder holding Conduit.slnx).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Conduit.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Conduit.slnx above {AppContext.BaseDirectory}");
    }
}
