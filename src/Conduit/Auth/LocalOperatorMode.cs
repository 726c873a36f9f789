using System.Net;
using Conduit.Pipeline.Store;

namespace Conduit.Auth;

/// <summary>
/// "No user yet" mode (AUTH-DASHBOARD-CONTRACT): when <c>conduit serve</c> starts with no user in the database, its HTTP
/// URLs are forced to loopback and every request from loopback acts as the operator <c>local</c>. The first user
/// created (even while serve runs) ends the mode for good in this run: removing every user later does not open the
/// server again; only a restart on loopback does.
/// </summary>
internal sealed class LocalOperatorMode(SqlAuthStore store, ConduitAuthSettings settings)
{
    public const string UserName = "local";
    private volatile bool _usersSeen;

    /// <summary>True when this request is to be the local operator.</summary>
    public async ValueTask<bool> AppliesAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!settings.StartedWithoutUsers || _usersSeen) return false;
        // The URLs were forced to loopback; a request from elsewhere (a proxy's doing) is still not trusted.
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote)) return false;
        if (await store.AnyUserAsync(cancellationToken))
        {
            _usersSeen = true;
            return false;
        }
        return true;
    }
}
