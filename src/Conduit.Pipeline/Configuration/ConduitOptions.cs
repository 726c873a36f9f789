namespace Conduit.Pipeline.Configuration;

/// <summary>The whole configuration: one section per concern, each with its defaults as constants.</summary>
public sealed class ConduitOptions
{
    public ReceiverOptions Receiver { get; set; } = new();
    public HttpOptions Http { get; set; } = new();
    public StorageOptions Storage { get; set; } = new();
    public FlowsOptions Flows { get; set; } = new();
    public DatabaseOptions Database { get; set; } = new();
    public QueueOptions Queue { get; set; } = new();
    public NodeOptions Node { get; set; } = new();
    public WorkersOptions Workers { get; set; } = new();
    public GroupingOptions Grouping { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
    public DestinationDefaultsOptions Destinations { get; set; } = new();
    public WebhookDefaultsOptions Webhooks { get; set; } = new();
    public FoldersOptions Folders { get; set; } = new();
    public LoggingOptions Logging { get; set; } = new();
}
