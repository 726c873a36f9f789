namespace Conduit.Pipeline.Flows.Model;

/// <summary>When a webhook fires.</summary>
[Flags]
public enum WebhookEvents
{
    Succeeded = 1,
    Failed = 2,
    All = Succeeded | Failed,
}

/// <summary>A URL a job summary is POSTed to (JSON) when a job of the flow ends.</summary>
public sealed record WebhookDefinition(Uri Url, WebhookEvents On, IReadOnlyDictionary<string, string> Headers);
