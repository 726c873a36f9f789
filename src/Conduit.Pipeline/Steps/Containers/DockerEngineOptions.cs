namespace Conduit.Pipeline.Steps.Containers;

/// <summary>Where the Docker Engine API listens (Docker, or podman's <c>podman system service</c>) and which API version to speak.</summary>
public sealed class DockerEngineOptions
{
    public const string DefaultSocketPath = "/var/run/docker.sock";

    /// <summary>
    /// The newest API version Conduit speaks; the client uses the lower of this and the engine's. 1.41 (Docker 20.10)
    /// has everything Conduit uses (DeviceRequests since 1.40) and is what podman 4 reports.
    /// </summary>
    public const string DefaultMaxApiVersion = "1.41";

    public string SocketPath { get; init; } = DefaultSocketPath;

    public string MaxApiVersion { get; init; } = DefaultMaxApiVersion;

    /// <summary>
    /// The socket from <c>DOCKER_HOST</c> when it is a <c>unix://</c> URL, else <see cref="DefaultSocketPath"/>.
    /// Other schemes (tcp://, ssh://) are refused rather than ignored: silently using another engine would surprise.
    /// </summary>
    public static DockerEngineOptions FromEnvironment(string? dockerHost = null)
    {
        dockerHost ??= Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(dockerHost))
        {
            return new DockerEngineOptions();
        }
        const string Unix = "unix://";
        return dockerHost.StartsWith(Unix, StringComparison.Ordinal) && dockerHost.Length > Unix.Length
            ? new DockerEngineOptions { SocketPath = dockerHost[Unix.Length..] }
            : throw new ArgumentException($"DOCKER_HOST '{dockerHost}' is not a unix:// socket; Conduit talks to the engine over a unix socket only.");
    }
}
