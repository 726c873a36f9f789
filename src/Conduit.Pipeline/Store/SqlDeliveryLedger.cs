using Conduit.Pipeline.Destinations;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The <see cref="IDeliveryLedger"/> of the store: the <c>destination_sends</c> table. An acknowledgement is committed
/// (durably) before the delivery runner moves on, so after a crash the instance is not sent to that
/// destination again for that job.
/// </summary>
public sealed class SqlDeliveryLedger(StoreDatabase database) : IDeliveryLedger
{
    public async ValueTask<IReadOnlySet<string>> AcknowledgedAsync(string jobId, string destination, CancellationToken cancellationToken) =>
        await database.ReadAsync<IReadOnlySet<string>>(c => c.Query(null,
            "SELECT sop_instance_uid FROM destination_sends WHERE job_id = @id AND destination = @dest;",
            r => r.GetString(0), ("@id", jobId), ("@dest", destination)).ToHashSet(StringComparer.Ordinal),
            cancellationToken).ConfigureAwait(false);

    public async ValueTask RecordAcknowledgedAsync(string jobId, string destination, IReadOnlyList<string> sopInstanceUids,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sopInstanceUids);
        if (sopInstanceUids.Count == 0)
        {
            return;
        }
        var now = UtcTime.ToText(database.UtcNow);
        await database.WriteAsync((c, t) =>
        {
            foreach (var uid in sopInstanceUids)
            {
                c.Execute(t, """
                    INSERT INTO destination_sends (job_id, destination, sop_instance_uid, acknowledged_at)
                    VALUES (@id, @dest, @uid, @now) ON CONFLICT DO NOTHING;
                    """, ("@id", jobId), ("@dest", destination), ("@uid", uid), ("@now", now));
            }
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }
}
