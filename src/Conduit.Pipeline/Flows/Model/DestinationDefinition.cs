using Conduit.Pipeline.Configuration.Yaml;

namespace Conduit.Pipeline.Flows.Model;

/// <summary>The kinds of destination a flow can send its results to.</summary>
public enum DestinationKind
{
    Dicom,
    Folder,
    DicomWeb,
}

/// <summary>Where a flow's results go; each destination retries on its own (see <see cref="Retry"/>).</summary>
public abstract record DestinationDefinition
{
    /// <summary>Unique in the flow (named in logs, the delivery ledger and the circuit breaker); defaults to kind-N.</summary>
    public required string Name { get; init; }

    public abstract DestinationKind Kind { get; }

    public RetryOverride Retry { get; init; } = RetryOverride.None;

    public SourceLocation Location { get; init; }
}

/// <summary>A DICOM node reached through C-STORE.</summary>
public sealed record DicomDestinationDefinition : DestinationDefinition
{
    public override DestinationKind Kind => DestinationKind.Dicom;

    /// <summary>Host name or address; null for <see cref="ReturnToSender"/>.</summary>
    public string? Host { get; init; }

    public required int Port { get; init; }

    /// <summary>The peer's AE title; null for <see cref="ReturnToSender"/> (the sender's calling AE title is used).</summary>
    public string? CalledAeTitle { get; init; }

    /// <summary>Our AE title towards the peer; null uses <c>destinations.calling_ae_title</c>, then <c>receiver.ae_title</c>.</summary>
    public string? CallingAeTitle { get; init; }

    /// <summary>Send back to the host that sent the batch, on <see cref="Port"/> (DicomFlow's return_to_sender_on_ports).</summary>
    public bool ReturnToSender { get; init; }
}

/// <summary>A folder on disk; a relative path is relative to <c>storage.data_directory</c>.</summary>
public sealed record FolderDestinationDefinition : DestinationDefinition
{
    public override DestinationKind Kind => DestinationKind.Folder;

    public required string Path { get; init; }

    /// <summary>The absolute folder, given the configured data directory.</summary>
    public string ResolvePath(string dataDirectory) =>
        System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDirectory, Path));
}

/// <summary>How to authenticate to a DICOMweb server.</summary>
public enum DicomWebAuthKind
{
    None,
    Basic,
    Bearer,
}

/// <summary>DICOMweb credentials; secrets may be given directly or through environment variables (<c>password_env</c>, <c>token_env</c>).</summary>
public sealed record DicomWebAuth(DicomWebAuthKind Kind, string? Username = null, string? Password = null, string? PasswordEnvironmentVariable = null, string? Token = null, string? TokenEnvironmentVariable = null)
{
    public static DicomWebAuth None { get; } = new(DicomWebAuthKind.None);
}

/// <summary>A DICOMweb server reached through STOW-RS (PS3.18 §10.5): results are POSTed to <c>{Url}/studies</c>.</summary>
public sealed record DicomWebDestinationDefinition : DestinationDefinition
{
    public const int DefaultMaxInstances = 50;
    public const long DefaultMaxRequestBytes = 64L << 20;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public override DestinationKind Kind => DestinationKind.DicomWeb;

    /// <summary>The base URL of the DICOMweb service (the Studies Service root, e.g. <c>http://host:8042/dicom-web</c>).</summary>
    public required Uri Url { get; init; }

    public DicomWebAuth Auth { get; init; } = DicomWebAuth.None;

    /// <summary>Instances per STOW-RS request at most.</summary>
    public int MaxInstances { get; init; } = DefaultMaxInstances;

    /// <summary>Bytes of Part 10 files per request at most (a larger single file goes alone).</summary>
    public long MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;

    /// <summary>How long one request may take, from sending to the end of the answer.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
