namespace Conduit.Pipeline.Flows.Model;

/// <summary>
/// A host folder or file mounted read-only into a container step (model weights, licences). A relative
/// <paramref name="Source"/> is resolved against <c>flows.static_directory</c>.
/// </summary>
public sealed record StaticMount(string Source, string Target)
{
    /// <summary>The absolute host path, given the configured static directory.</summary>
    public string ResolveSource(string staticDirectory) =>
        Path.IsPathRooted(Source) ? Source : Path.GetFullPath(Path.Combine(staticDirectory, Source));
}
