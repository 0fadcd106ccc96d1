using Events.Tests.Infrastructure;

namespace Events.Tests.Faults;

/// <summary>
/// Compares what the clients were told was stored with what ClickHouse holds. Waits (bounded) for the backlog to
/// drain first: an acknowledged event may still be on its way through RabbitMQ when the load stops.
/// </summary>
internal static class DeliveryAudit
{
    public static async Task<AuditResult> RunAsync(ClickHouseQuery clickHouse, string database, string run,
        IReadOnlyCollection<string> acknowledged, TimeSpan timeout)
    {
        var expected = acknowledged.ToHashSet(StringComparer.Ordinal);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HashSet<string> stored;
        List<string> missing;
        while (true)
        {
            stored = await StoredIdsAsync(clickHouse, database, run);
            missing = expected.Where(id => !stored.Contains(id)).ToList();
            if (missing.Count == 0 || clock.Elapsed > timeout) break;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var rows = await clickHouse.ExecuteAsync(
            $"SELECT count() - uniqExact(event_id) FROM `{database}`.`event` WHERE event_id LIKE '{run}-%' FORMAT TabSeparated");
        return new AuditResult(expected.Count, stored.Count, missing, long.Parse(rows.Trim()), clock.Elapsed);
    }

    /// <summary>Distinct ids of the run in the event table (any copy counts: FINAL would only merge them).</summary>
    private static async Task<HashSet<string>> StoredIdsAsync(ClickHouseQuery clickHouse, string database, string run)
    {
        var body = await clickHouse.ExecuteAsync(
            $"SELECT DISTINCT event_id FROM `{database}`.`event` WHERE event_id LIKE '{run}-%' FORMAT TabSeparated");
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }
}

/// <param name="Acknowledged">Distinct ids answered SUCCESS.</param>
/// <param name="Stored">Distinct ids of the run in ClickHouse (may include events sent but never acknowledged).</param>
/// <param name="Missing">Acknowledged ids not in ClickHouse: lost.</param>
/// <param name="DuplicateRows">Rows beyond one per id before deduplication (what FINAL or uniqExact removes).</param>
/// <param name="Waited">How long after the load stopped the last acknowledged event was stored (or the audit gave up).</param>
internal sealed record AuditResult(int Acknowledged, int Stored, IReadOnlyList<string> Missing, long DuplicateRows, TimeSpan Waited)
{
    public int Lost => Missing.Count;
}
