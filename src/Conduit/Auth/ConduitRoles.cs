namespace Conduit.Auth;

/// <summary>The two roles, as stored and as put in a principal's role claim.</summary>
internal static class ConduitRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";

    public static readonly string[] All = [Viewer, Operator];

    public static bool IsValid(string role) => role is Viewer or Operator;
}
