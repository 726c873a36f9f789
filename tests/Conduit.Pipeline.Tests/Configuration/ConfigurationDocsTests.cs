using Conduit.Pipeline.Configuration.Schema;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Configuration;

public sealed class ConfigurationDocsTests
{
    public static TheoryData<string> KeyPaths => new(ConfigSchema.Keys.Select(k => k.Path));

    [Theory]
    [MemberData(nameof(KeyPaths))]
    public void Docs_configuration_md_documents_every_key_with_its_default_and_environment_variable(string path)
    {
        var key = ConfigSchema.Find(path)!;
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md"));

        var row = docs.Split('\n').FirstOrDefault(l => l.Contains($"`{key.EnvironmentVariable}`", StringComparison.Ordinal));
        Assert.True(row is not null, $"docs/configuration.md has no row for {path} ({key.EnvironmentVariable})");
        Assert.Contains($"| `{key.Name}` | `{key.DefaultText}` |", row, StringComparison.Ordinal);
    }
}
