namespace Conduit.Pipeline.Store;

/// <summary>A person who signs in to the HTTP side: a role (<c>viewer</c> or <c>operator</c>) and a password hash.</summary>
public sealed record UserAccount(string Name, string Role, string PasswordHash, DateTimeOffset CreatedAt, DateTimeOffset PasswordChangedAt);
