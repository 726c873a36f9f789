namespace Conduit.Auth;

/// <summary>What the host tells the HTTP side's authentication.</summary>
/// <param name="KeysDirectory">Where the data-protection keys (that protect cookies and CSRF tokens) are kept, so a restart keeps sessions.</param>
/// <param name="StartedWithoutUsers">The database had no user at start: local operator mode (<see cref="LocalOperatorMode"/>).</param>
internal sealed record ConduitAuthSettings(string KeysDirectory, bool StartedWithoutUsers);
