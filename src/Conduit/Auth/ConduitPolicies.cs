namespace Conduit.Auth;

/// <summary>
/// The authorization policies of the HTTP side (AUTH-DASHBOARD-CONTRACT): <see cref="Viewer"/> is the fallback policy
/// of every endpoint; <see cref="Operator"/> guards everything that changes state.
/// </summary>
public static class ConduitPolicies
{
    /// <summary>Any signed-in user or valid token, whatever its role.</summary>
    public const string Viewer = "Viewer";

    /// <summary>A user or token with the operator role: retry and cancel jobs, upload, STOW-RS, folder batch actions.</summary>
    public const string Operator = "Operator";
}
