using System.Net;

namespace Conduit.Pipeline.Steps.Containers;

/// <summary>
/// The engine refused a request or could not be reached. <see cref="StatusCode"/> is the HTTP status when the
/// engine answered (404: no such image or container; 409: conflict; 500: engine error), null when it did not.
/// </summary>
public sealed class DockerEngineException : Exception
{
    public DockerEngineException(string message, HttpStatusCode? statusCode = null, Exception? inner = null)
        : base(message, inner) => StatusCode = statusCode;

    public DockerEngineException()
    {
    }

    public DockerEngineException(string message) : base(message)
    {
    }

    public DockerEngineException(string message, Exception inner) : base(message, inner)
    {
    }

    public HttpStatusCode? StatusCode { get; }
}
