using Conduit.Pipeline.Flows.Loading;
using Conduit.Pipeline.Flows.Model;

namespace Conduit.Pipeline.Tests.Flows;

/// <summary>Loads flow YAML given as text, as if read from flows/&lt;name&gt;.yaml.</summary>
internal static class FlowText
{
    public static FlowLoadResult Load(string yaml, string name = "x") =>
        FlowLoader.Parse(yaml, Path.Combine(Path.GetTempPath(), "flows", name + ".yaml"), $"flows/{name}.yaml");

    public static FlowDefinition Valid(string yaml, string name = "x")
    {
        var result = Load(yaml, name);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Flow!;
    }

    public static string SingleError(string yaml)
    {
        var result = Load(yaml);
        Assert.False(result.IsValid, "the flow loaded, an error was expected");
        return Assert.Single(result.Errors).ToString();
    }
}
