namespace Conduit.Dicom.Network.Association;

/// <summary>
/// Decides whether a new association may start, after the listener's own checks (called AE, allow-list, limit):
/// the pipeline refuses new work under disk pressure with <see cref="AssociationRejection.TemporaryCongestion"/>.
/// </summary>
public interface IAssociationAdmission
{
    /// <returns>null to admit the association, else the rejection to send.</returns>
    ValueTask<AssociationRejection?> AdmitAsync(AssociationRequestInfo request, CancellationToken cancellationToken);
}

/// <summary>The outcome of a user identity check (PS3.7 §D.3.3.7).</summary>
public sealed record UserIdentityResult(bool Accepted, byte[]? ServerResponse = null, string? Why = null)
{
    public static UserIdentityResult Accept(byte[]? serverResponse = null) => new(true, serverResponse);
    public static UserIdentityResult Reject(string why) => new(false, null, why);
}

/// <summary>
/// Checks the User Identity sub-item of an association request. Without a validator any identity, or none, is
/// accepted. A rejection refuses the association (A-ASSOCIATE-RJ permanent, service user, no reason given).
/// </summary>
public interface IUserIdentityValidator
{
    /// <param name="request">The request; its <see cref="AssociationRequestInfo.UserIdentity"/> is null when none was sent.</param>
    ValueTask<UserIdentityResult> ValidateAsync(AssociationRequestInfo request, CancellationToken cancellationToken);
}
