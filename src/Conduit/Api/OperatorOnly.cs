namespace Conduit.Api;

/// <summary>
/// Marks the endpoints that change state (retry, cancel): the contract with authentication says they require the
/// <c>Operator</c> policy. Every such endpoint goes through this one method, so attaching the policy is one line here.
/// </summary>
internal static class OperatorOnly
{
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OperatorEndpoint.Instance);
}

/// <summary>Endpoint metadata: an operator-only endpoint (see <see cref="OperatorOnly"/>).</summary>
internal sealed class OperatorEndpoint
{
    public static readonly OperatorEndpoint Instance = new();

    private OperatorEndpoint()
    {
    }
}
